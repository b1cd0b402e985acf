/**
 * The span of a refund's PSP call ("refund.psp-call"), so a trace of a refund names it: its id,
 * merchantTransactionId and order, the attempt, and what the PSP answered. Only the OpenTelemetry
 * API: without a registered SDK (tracing off) the span does nothing and records nothing.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { PspRefundResult } from '../systems/psp';
import type { RefundEntity } from './entities/refund.entity';
import type { OutcomeSource } from './refund-outcome.types';

const tracer = trace.getTracer('moneygraph');

const REFUND_SPAN = {
  name: 'refund.psp-call',
  refundId: 'moneygraph.refund.id',
  merchantTransactionId: 'moneygraph.refund.merchant_transaction_id',
  orderId: 'moneygraph.order.id',
  attempt: 'moneygraph.refund.attempt',
  source: 'moneygraph.refund.source',
  /** succeeded, rejected, already-exists or unknown (the PSP may have acted: left SUBMITTED for recovery). */
  outcome: 'moneygraph.refund.psp_outcome',
  /** The PSP's status of the refund when it answered with its record. */
  pspStatus: 'moneygraph.refund.psp_status',
  errorCode: 'moneygraph.refund.error_code',
} as const;

/** Runs the PSP call of refund `r` inside its span; the call's result or error passes through unchanged. */
export function inPspCallSpan(r: RefundEntity, source: OutcomeSource, call: () => Promise<PspRefundResult>): Promise<PspRefundResult> {
  const attributes = {
    [REFUND_SPAN.refundId]: r.id,
    [REFUND_SPAN.merchantTransactionId]: r.merchantTransactionId,
    [REFUND_SPAN.orderId]: r.orderId,
    [REFUND_SPAN.attempt]: r.attempts,
    [REFUND_SPAN.source]: source,
  };
  return tracer.startActiveSpan(REFUND_SPAN.name, { attributes }, async (span) => {
    try {
      const result = await call();
      span.setAttribute(REFUND_SPAN.outcome, result.kind);
      if (result.kind === 'succeeded') span.setAttribute(REFUND_SPAN.pspStatus, result.record.status);
      if (result.kind === 'rejected') span.setAttribute(REFUND_SPAN.errorCode, result.code);
      if (result.kind === 'unknown') span.setStatus({ code: SpanStatusCode.ERROR, message: result.reason });
      return result;
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
