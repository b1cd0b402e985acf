/**
 * A refund's status, the vocabulary the refund ledger (src/refunds, which owns the table and its
 * transitions) shares with the read models that read it (the exception classifier). Here, apart
 * from both, so that neither imports the other.
 */
export enum RefundStatus {
  REQUESTED = 'REQUESTED',
  SUBMITTED = 'SUBMITTED',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/** A refund whose outcome is not known yet: the one list of in-flight statuses. */
export const IN_FLIGHT_STATUSES: readonly RefundStatus[] = [RefundStatus.REQUESTED, RefundStatus.SUBMITTED];

/** Statuses that cover a return invoice's amount (in flight or succeeded). */
export const COVERING_STATUSES: readonly RefundStatus[] = [...IN_FLIGHT_STATUSES, RefundStatus.SUCCEEDED];

/** A list of statuses as SQL literals, for `status IN (…)`: the values are the enum's own. */
export function sqlStatusList(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
}
