/**
 * The client's idempotency key of a refund mutation: the canonical arguments a request is hashed
 * by (the same request, however written, has one hash), and what a key used before answers.
 */
import { RequestContext } from '../db/context';
import { isOrderOnHold } from '../reconciliation';
import { BusinessError, ErrorCode } from '../shared/errors';
import type { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { recoverRefund } from './recovery';
import { RefundCommand, rejected } from './refund-intent';
import type { CustomerIdentifier } from './refund-rules';
import type { RefundCommandResult } from './refund-command.types';
import { isInFlight } from './refund.state';
import { deleteExpiredKey, loadRefund } from './refund.store';

export { requestHash } from './refund-json';

/**
 * The same key again: the same arguments get the first request's refund (finished first if it is
 * still in flight), others an error. Null when the key had expired: it is forgotten, and the
 * request runs anew.
 */
export async function replay(ctx: RequestContext, row: IdempotencyKeyEntity, hash: string, cmd: RefundCommand): Promise<RefundCommandResult | null> {
  if (row.expiresAt < ctx.now) {
    await deleteExpiredKey(ctx, row.key, ctx.now);
    return null;
  }
  if (row.requestHash !== hash) {
    return rejected(cmd.orderId, new BusinessError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was used for a different request', ['input', 'idempotencyKey']));
  }
  let refund = await loadRefund(ctx, row.refundId);
  if (refund && isInFlight(refund.status)) {
    // The first request died or gave up before the outcome: finish its refund, with its key.
    if (cmd.automated && (await isOrderOnHold(ctx, refund.orderId))) {
      return rejected(row.orderId, new BusinessError(ErrorCode.ORDER_ON_HOLD, 'The order is on hold: no automated refund', ['input', 'orderId']));
    }
    const recovered = await recoverRefund(ctx, refund.id, { automated: cmd.automated });
    if (!recovered) return rejected(row.orderId, inUse());
    refund = recovered;
  }
  return { refund, orderId: row.orderId, userErrors: [] };
}

export const inUse = () => new BusinessError(ErrorCode.IDEMPOTENCY_KEY_IN_USE, 'A request with this idempotency key is still running; retry shortly', ['input', 'idempotencyKey']);

/** The customer as hashed and sent: trimmed, empty values dropped, metadata in key order. */
export function cleanCustomer(c: CustomerIdentifier): CustomerIdentifier {
  const meta = c.metadata && Object.keys(c.metadata).length ? Object.fromEntries(Object.entries(c.metadata).sort(([a], [b]) => a.localeCompare(b))) : null;
  return { hsid: c.hsid?.trim() || null, enterpriseId: c.enterpriseId?.trim() || null, metadata: meta };
}

/** "10.50" and "10.5" are one request; the amount's validity is checked later, against the currency. */
export function canonicalDecimal(v: string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const m = /^(-?)0*(\d*?)(?:\.(\d*?)0*)?$/.exec(v.trim());
  if (!m) return v.trim();
  const whole = m[2] || '0';
  return `${m[1]}${whole}${m[3] ? `.${m[3]}` : ''}`;
}
