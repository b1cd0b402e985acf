/**
 * The refund lifecycle as a transition table: REQUESTED → SUBMITTED → SUCCEEDED | FAILED, plus the
 * PSP's late failures and reversals of a refund that had succeeded. The PSP's own lifecycle only
 * moves forward (SUCCEEDED → FAILED | REVERSED, FAILED is final), so an outcome that would move a
 * refund backwards is an older one arriving late and is ignored.
 */
import { RefundStatus } from './entities/refund.entity';

export type RefundEvent =
  /** The PSP call is about to be made (again). */
  | 'SUBMIT'
  | 'SUCCEED'
  /** A definite rejection, or a failure the PSP reports for a refund not yet known to have succeeded. */
  | 'FAIL'
  /** The PSP reports a refund that had succeeded as failed after all (only from the PSP's own record or webhook). */
  | 'LATE_FAIL'
  | 'REVERSE';

const { REQUESTED, SUBMITTED, SUCCEEDED, FAILED } = RefundStatus;

const TABLE: Readonly<Record<RefundStatus, Partial<Record<RefundEvent, RefundStatus>>>> = {
  [REQUESTED]: { SUBMIT: SUBMITTED, SUCCEED: SUCCEEDED, FAIL: FAILED, LATE_FAIL: FAILED, REVERSE: FAILED },
  [SUBMITTED]: { SUBMIT: SUBMITTED, SUCCEED: SUCCEEDED, FAIL: FAILED, LATE_FAIL: FAILED, REVERSE: FAILED },
  [SUCCEEDED]: { LATE_FAIL: FAILED, REVERSE: FAILED },
  [FAILED]: {},
};

/** The status after `event`, or null when the event changes nothing (a replay or an older outcome). */
export function nextStatus(from: RefundStatus, event: RefundEvent): RefundStatus | null {
  return TABLE[from][event] ?? null;
}

export const IN_FLIGHT_STATUSES: readonly RefundStatus[] = [REQUESTED, SUBMITTED];

export function isInFlight(s: RefundStatus): boolean {
  return s === REQUESTED || s === SUBMITTED;
}
