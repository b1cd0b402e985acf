/**
 * How long an upstream call can take at worst, from the guard's retry policy (src/shared/upstream-guard.ts, used by the HTTP client and the Stripe adapter),
 * and the bounds the configuration derives from it. Pure: no I/O, so src/config can use it.
 */

/** The HTTP client's backoff between attempts: cockatiel's ExponentialBackoff, each delay at most this. */
export const RETRY_BACKOFF_INITIAL_MS = 50;
export const RETRY_BACKOFF_MAX_MS = 1_000;

/**
 * One HttpClient.request at worst: every attempt (1 + retries) runs to its timeout (the timeout
 * covers the whole exchange, body included), and every pause between attempts is the longest backoff.
 */
export function worstCaseCallMs(timeoutMs: number, retries: number): number {
  return timeoutMs * (retries + 1) + RETRY_BACKOFF_MAX_MS * retries;
}

/**
 * The shortest safe REFUND_LEASE_MS. Whoever drives a refund (a request, a recoverer) makes at most
 * two PSP calls under one lease — createRefund, then findRefund when the PSP answers "already
 * exists" (recovery's first findRefund is followed by a renewal of the lease before createRefund) —
 * each with UPSTREAM_RETRIES retries. A shorter lease lets recovery take over a refund a live
 * request still drives.
 */
export function minRefundLeaseMs(timeoutMs: number, retries: number): number {
  return 2 * worstCaseCallMs(timeoutMs, retries);
}

/**
 * The shortest safe OUTBOX_CLAIM_MS: the longest delivery handler. `erp.post` makes at most three
 * ERP calls without retries (a read-back on a retry, postJournalEntry's read-back, the POST);
 * `oms.interaction` and `oms.invoiceData` make one OMS call with UPSTREAM_RETRIES retries.
 * (`refund.auto` is not bounded by the claim: a second delivery while the first runs meets the
 * refund's idempotency key and lease, answers IDEMPOTENCY_KEY_IN_USE and is retried later.)
 * A shorter claim lets a second worker deliver a message whose first delivery is still running.
 */
export function minOutboxClaimMs(timeoutMs: number, retries: number): number {
  return Math.max(3 * timeoutMs, worstCaseCallMs(timeoutMs, retries));
}

/** The claim expiry used before OUTBOX_CLAIM_MS existed, kept as its default (raised to the minimum if that is larger). */
export function defaultOutboxClaimMs(timeoutMs: number, retries: number): number {
  return Math.max(60_000, timeoutMs * 6, minOutboxClaimMs(timeoutMs, retries));
}
