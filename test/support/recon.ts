/** Helpers of the exception and reconciliation tests. */
import { Clock } from '../../src/shared/clock';

/**
 * Real time plus an offset that only grows: the simulators stamp records with real time, so a
 * clock that stood still would fall behind them; advancing it ages everything the service sees.
 */
export class AdvancingClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }
  /** Moves to `t` if it is ahead; never back (cost buckets and ages only move forward). */
  advanceTo(t: Date): void {
    this.advance(t.getTime() - this.now().getTime());
  }
}

/** The cost budget is not what these tests are about. */
export const UNLIMITED_GRAPHQL = JSON.stringify(
  Object.fromEntries(['SUPPORT', 'ANALYST', 'FINANCE', 'ADMIN'].map((r) => [r, { budget: 10_000_000, maxCost: 1_000_000, restorePerSecond: 1_000_000 }])),
);

const EXCEPTION_FIELDS = `id kind status owner orderId detail observed window ageSeconds firstDetectedAt decisionDeadline resolution resolvedAt allowedDecisions
  decision { decision decidedBy decidedAt note }
  evidence { pspReference captureId amount { amount currencyCode } captureTimestamp orderCode omsStatus erpPostingStatus erpDocumentId
    invoiceReference settlementBatchId refundId pspRefundId webhookEventId webhookReplayable webhookReplayCount webhookSignatureValid }`;

export const EXCEPTIONS_QUERY = `query($filter: MoneyExceptionFilter, $first: Int, $after: String) { moneyExceptions(filter: $filter, first: $first, after: $after) {
  edges { cursor node { ${EXCEPTION_FIELDS} order { id status } } } pageInfo { hasNextPage endCursor } } }`;

export const DECIDE_EXCEPTION = `mutation($input: DecideExceptionInput!) { decideException(input: $input) {
  exception { ${EXCEPTION_FIELDS} } userErrors { code message field } } }`;
