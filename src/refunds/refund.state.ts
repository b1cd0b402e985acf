/**
 * The refund lifecycle as a transition table: REQUESTED → SUBMITTED → SUCCEEDED | FAILED, plus what
 * only the PSP's own record (read back from the PSP, never a webhook alone) may do: turn a refund
 * that had succeeded into a failed one (a late failure or a reversal), or a refund recorded as
 * failed into a succeeded one. A synchronous answer or a webhook only ever moves a refund forward
 * out of flight; anything else they report changes nothing here.
 *
 * Every status written to the refund ledger comes from here: `transition` for a change of status
 * (it throws on a change the table does not allow), `initialStatus` for a new refund.
 */
import { IN_FLIGHT_STATUSES } from '../shared/refund-status';
import { RefundOrigin, RefundStatus } from './entities/refund.entity';

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

/** The event an outcome is: what the PSP's own record says may do more than an answer or a webhook. */
export function outcomeEvent(o: { status: 'SUCCEEDED' | 'FAILED' | 'REVERSED'; fromPspRecord: boolean }): RefundEvent {
  if (o.status === 'SUCCEEDED') return o.fromPspRecord ? 'RECORD_SUCCEED' : 'SUCCEED';
  if (o.status === 'REVERSED') return o.fromPspRecord ? 'REVERSE' : 'FAIL';
  return o.fromPspRecord ? 'LATE_FAIL' : 'FAIL';
}

/** A status change the transition table does not allow: a bug in the caller, never written. */
export class IllegalRefundTransition extends Error {
  constructor(
    readonly from: RefundStatus,
    readonly event: RefundEvent,
  ) {
    super(`refund status ${from} has no transition on ${event}`);
  }
}

/** The status a refund in `from` moves to on `event`; throws IllegalRefundTransition when the table has no such transition. */
export function transition(from: RefundStatus, event: RefundEvent): RefundStatus {
  const to = nextStatus(from, event);
  if (!to) throw new IllegalRefundTransition(from, event);
  return to;
}

/** The statuses `event` moves a refund out of (the guard of a conditional UPDATE). */
export function statusesLeftBy(event: RefundEvent): RefundStatus[] {
  return (Object.keys(TABLE) as RefundStatus[]).filter((s) => nextStatus(s, event) !== null);
}

/**
 * The one status `event` leads to from every status it leaves (an UPDATE guarded by
 * `statusesLeftBy(event)` writes it); throws for an event whose target depends on where it starts.
 */
export function statusAfter(event: RefundEvent): RefundStatus {
  const targets = new Set(statusesLeftBy(event).map((s) => transition(s, event)));
  if (targets.size !== 1) throw new Error(`${event} has no single target status`);
  return [...targets][0]!; // targets.size === 1
}

/** How a refund enters the ledger: ours REQUESTED; one seen at the PSP first is in flight until its outcome is recorded. */
export function initialStatus(origin: RefundOrigin): RefundStatus {
  return origin === RefundOrigin.MONEYGRAPH ? REQUESTED : SUBMITTED;
}

export { IN_FLIGHT_STATUSES };

export function isInFlight(s: RefundStatus): boolean {
  return IN_FLIGHT_STATUSES.includes(s);
}
