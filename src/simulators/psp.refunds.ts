/**
 * The PSP simulator's refund API (seed 004): creating refunds with the seed's exact synchronous
 * errors and inconsistent REFUND_* webhook shapes, reading them, and reversing them.
 */
import { randomUUID } from 'node:crypto';
import { HttpError, bad, bodyOf, conflict, isObj, notFound, param, query, type Json } from './http-kit';
import type { PspPayment, PspRefund, PspState } from './psp.model';
import { LATE_FAILURE_DESCRIPTION, REFUND_VALIDATION, REJECTIONS, type Rejection } from './psp.refund-rules';
import type { SimRoute } from './sim-base';
import { optStr, parseMinor, reqStr } from './validators';
import type { WebhookSender } from './webhook-sender';

/** What the refund routes use of the simulator they are part of. */
export interface PspRefundRoutes {
  state: PspState;
  route: SimRoute;
  webhooks: WebhookSender;
  faults: { lateFailNext: number; creditLimit: bigint };
  now: () => string;
  captured: (p: PspPayment) => bigint;
  refunded: (p: PspPayment) => bigint;
  refundView: (r: PspRefund) => Omit<PspRefund, 'settled'>;
}

export function refundRoutes({ state, route, webhooks, faults, now, captured, refunded, refundView }: PspRefundRoutes): void {
  const createRefund = async (b: Json) => {
    const paymentId = optStr(b.paymentId, 'paymentId');
    const pmId = optStr(b.paymentMethodId, 'paymentMethodId');
    if (!paymentId && !pmId) throw bad(REFUND_VALIDATION.noId);
    if (paymentId && pmId) throw bad(REFUND_VALIDATION.bothIds);
    if (pmId) {
      if (b.amount === undefined || b.amount === null) throw bad(REFUND_VALIDATION.amountRequired);
      const c = b.customer;
      if (!isObj(c) || !(c.hsid || c.enterpriseId || c.metadata)) throw bad(REFUND_VALIDATION.customerRequired);
    }
    const requested = b.amount === undefined || b.amount === null ? undefined : parseMinor(b.amount, 'amount', { positive: true });
    const mtid = reqStr(b.merchantTransactionId, 'merchantTransactionId');
    if (state.merchantTransactionIds.has(mtid)) throw bad(REFUND_VALIDATION.duplicate);
    const meta = isObj(b.metadata) ? b.metadata : {};
    const customer = isObj(b.customer) ? b.customer : undefined;
    const metadata = { orderId: optStr(meta.orderId, 'metadata.orderId') ?? null, invoiceNumber: optStr(meta.invoiceNumber, 'metadata.invoiceNumber') ?? null };

    const p = paymentId ? state.payments.get(paymentId) : undefined;
    const pm = state.paymentMethods.get(p ? p.paymentMethodId : (pmId ?? ''));
    let amount = requested;
    const record = (status: PspRefund['status'], error: PspRefund['error']): PspRefund => {
      const r: PspRefund = {
        refundId: randomUUID(),
        merchantTransactionId: mtid,
        status,
        amount: amount ?? null,
        currency: p?.currency ?? pm?.currency ?? null,
        paymentId: paymentId ?? null,
        paymentMethodId: pmId ?? null,
        orderId: p?.orderId ?? metadata.orderId,
        invoiceNumber: metadata.invoiceNumber,
        reason: optStr(b.reason, 'reason') ?? null,
        error,
        createdAt: now(),
        version: 1,
        settled: false,
      };
      state.refunds.set(r.refundId, r);
      state.merchantTransactionIds.set(mtid, r.refundId);
      return r;
    };
    const objects = (r: PspRefund) => ({
      payment: { paymentId: r.paymentId, orderId: r.orderId },
      paymentMethod: pm ? { paymentMethodId: pm.id, type: pm.type, status: pm.status } : {},
      customer: { ...(customer ?? {}), customerId: p?.customerId ?? pm?.customerId ?? null },
    });
    const payload = (r: PspRefund, keep: readonly string[]) => {
      const o = objects(r) as Record<string, unknown>;
      return {
        refundId: r.refundId,
        merchantTransactionId: r.merchantTransactionId,
        status: r.status,
        ...(r.amount !== null ? { amount: r.amount } : {}),
        ...(r.currency !== null ? { currency: r.currency } : {}),
        createdAt: r.createdAt,
        ...Object.fromEntries(keep.map((k) => [k, o[k]])),
        metadata: { orderId: r.orderId, invoiceNumber: r.invoiceNumber },
        ...(r.error ? { error: r.error } : {}),
      };
    };
    const reject = async (x: Rejection): Promise<never> => {
      const description = 'description' in x ? x.description : x.detail;
      const r = record('FAILED', { ...(x.code !== undefined ? { code: x.code } : {}), description });
      await webhooks.emit('REFUND_FAILED', { name: 'REFUND_FAILED', source: x.source, payload: payload(r, x.objects) });
      throw new HttpError(400, x.title, x.detail);
    };

    if (paymentId) {
      if (!p || p.status === 'FAILED' || p.status === 'CANCELED') return reject(REJECTIONS.notRefundable);
      if (p.status === 'AUTHORIZED') return reject(REJECTIONS.notCaptured);
      if (p.disputed) return reject(p.fraud ? REJECTIONS.disputedFraud : REJECTIONS.inDispute);
      const remaining = captured(p) - refunded(p);
      if (remaining <= 0n) return reject(REJECTIONS.alreadyRefunded);
      amount ??= remaining;
      if (amount > remaining) return reject(REJECTIONS.overRefund);
      // A deleted method is as unusable for a linked refund as a canceled one.
      if (p.paymentMethodStatus !== 'ACTIVE') return reject(REJECTIONS.methodCanceled);
    } else {
      if (!pm || pm.status === 'DELETED') return reject(REJECTIONS.invalidMethod);
      if (pm.type === 'BANK_ACCOUNT') return reject(REJECTIONS.bankAccount);
      if (pm.status !== 'ACTIVE') return reject(REJECTIONS.methodCanceled);
      if (amount! > faults.creditLimit) return reject(REJECTIONS.overLimit);
    }

    const r = record('SUCCEEDED', null);
    const answer = {
      refundId: r.refundId,
      merchantTransactionId: mtid,
      status: r.status,
      amount: r.amount,
      currency: r.currency,
      paymentId: r.paymentId,
      paymentMethodId: r.paymentMethodId,
      createdAt: r.createdAt,
    };
    if (faults.lateFailNext > 0) {
      // Accepted synchronously, then failed by the partner: only the webhook tells the truth.
      faults.lateFailNext--;
      Object.assign(r, { status: 'FAILED', error: { description: LATE_FAILURE_DESCRIPTION }, version: 2 });
      await webhooks.emit('REFUND_FAILED', { name: 'REFUND_FAILED', source: '', payload: payload(r, ['payment', 'paymentMethod', 'customer']) });
    } else {
      await webhooks.emit('REFUND_SUCCEEDED', { name: 'REFUND_SUCCEEDED', source: '', payload: payload(r, ['payment']) });
    }
    return { status: 201, body: answer };
  };
  route('post', '/refunds', (req) => createRefund(bodyOf(req)));
  route('post', '/refunds-direct', (req) => createRefund(bodyOf(req)));

  route('get', '/refunds', (req) => {
    const q = (k: string) => query(req, k);
    const mtid = q('merchantTransactionId');
    const paymentId = q('paymentId');
    const refunds = [...state.refunds.values()].filter((r) => (mtid === undefined || r.merchantTransactionId === mtid) && (paymentId === undefined || r.paymentId === paymentId));
    return { status: 200, body: { refunds: refunds.map(refundView) } };
  });

  route('get', '/refunds/:refundId', (req) => {
    const r = state.refunds.get(param(req, 'refundId'));
    if (!r) throw notFound(`Refund ${param(req, 'refundId')} not found`);
    return { status: 200, body: refundView(r) };
  });

  route('post', '/refunds/:refundId/reverse', async (req) => {
    const r = state.refunds.get(param(req, 'refundId'));
    if (!r) throw notFound(`Refund ${param(req, 'refundId')} not found`);
    if (r.status !== 'SUCCEEDED') throw conflict(`Refund ${r.refundId} is ${r.status}; only SUCCEEDED refunds can be reversed`);
    r.status = 'REVERSED';
    r.version++;
    await webhooks.emit('REFUND_REVERSED', {
      name: 'REFUND_REVERSED',
      source: '',
      payload: {
        refundId: r.refundId,
        merchantTransactionId: r.merchantTransactionId,
        status: r.status,
        amount: r.amount,
        currency: r.currency,
        createdAt: r.createdAt,
        payment: { paymentId: r.paymentId, orderId: r.orderId },
        metadata: { orderId: r.orderId, invoiceNumber: r.invoiceNumber },
      },
    });
    return { status: 200, body: refundView(r) };
  });
}
