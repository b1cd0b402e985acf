/**
 * The refund lifecycle as a transition table: REQUESTED → SUBMITTED → SUCCEEDED | FAILED, plus what
 * only the PSP's own record (read back from the PSP, never a webhook alone) may do: turn a refund
 * that had succeeded into a failed one (a late failure or a reversal), or a refund recorded as
 * failed into a succeeded one. A synchronous answer or a webhook only ever moves a refund forward
 * out of flight; anything else they report changes nothing here.
 */
import { RefundStatus } from './entities/refund.entity';

export type RefundEvent =
  /** The PSP call is about to be made (again). */
  | 'SUBMIT'
  /** The PSP's synchronous answer, or a signed webhook, reports success. */
  | 'SUCCEED'
  /** A definite rejection of a refund not yet known to have succeeded. */
  | 'FAIL'
  /** The PSP's record says SUCCEEDED. */
  | 'RECORD_SUCCEED'
  /** The PSP's record says FAILED (possibly after it had succeeded). */
  | 'LATE_FAIL'
  /** The PSP's record says REVERSED. */
  | 'REVERSE';

const { REQUESTED, SUBMITTED, SUCCEEDED, FAILED } = RefundStatus;

const IN_FLIGHT = { SUBMIT: SUBMITTED, SUCCEED: SUCCEEDED, FAIL: FAILED, RECORD_SUCCEED: SUCCEEDED, LATE_FAIL: FAILED, REVERSE: FAILED } as const;

const TABLE: Readonly<Record<RefundStatus, Partial<Record<RefundEvent, RefundStatus>>>> = {
  [REQUESTED]: IN_FLIGHT,
  [SUBMITTED]: IN_FLIGHT,
  [SUCCEEDED]: { LATE_FAIL: FAILED, REVERSE: FAILED },
  [FAILED]: { RECORD_SUCCEED: SUCCEEDED },
};

/** The status after `event`, or null when the event changes nothing (a replay or an older outcome). */
export function nextStatus(from: RefundStatus, event: RefundEvent): RefundStatus | null {
  return TABLE[from][event] ?? null;
}

export const IN_FLIGHT_STATUSES: readonly RefundStatus[] = [REQUESTED, SUBMITTED];

export function isInFlight(s: RefundStatus): boolean {
  return s === REQUESTED || s === SUBMITTED;
}
