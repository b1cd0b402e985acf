/**
 * PSP simulator: payments, captures, settlements, and the refund API of seed 004 with its exact
 * synchronous errors and its inconsistent REFUND_* webhook shapes.
 */
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import {
  HttpError, bad, bodyOf, param, query, conflict, count, flag, isObj, newId, notFound, oneOf, optIso, optStr, parseCurrency, parseMinor,
  reqStr, simBase, type Json, type SimOptions,
} from './http';

export const PAYMENT_STATUSES = ['AUTHORIZED', 'COMPLETED', 'CANCELED', 'FAILED'] as const;
export const METHOD_TYPES = ['CARD', 'BANK_ACCOUNT', 'WALLET'] as const;
export const METHOD_STATUSES = ['ACTIVE', 'CANCELED', 'EXPIRED', 'DELETED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type MethodType = (typeof METHOD_TYPES)[number];
export type MethodStatus = (typeof METHOD_STATUSES)[number];

export interface PspPayment {
  id: string;
  orderId: string | null;
  method: MethodType;
  paymentMethodId: string;
  paymentMethodStatus: MethodStatus;
  customerId: string | null;
  status: PaymentStatus;
  disputed: boolean;
  /** Not part of payment.upserted: only decides which of seed 004's dispute errors applies. */
  fraud: boolean;
  authorized: bigint;
  currency: string;
  createdAt: string;
  version: number;
}
export interface PspPaymentMethod {
  id: string;
  type: MethodType;
  status: MethodStatus;
  customerId: string | null;
  currency: string;
}
export interface PspCapture {
  id: string;
  paymentId: string;
  orderId: string | null;
  amount: bigint;
  currency: string;
  capturedAt: string;
  settled: boolean;
}
export interface PspRefund {
  refundId: string;
  merchantTransactionId: string;
  status: 'SUCCEEDED' | 'FAILED' | 'REVERSED';
  amount: bigint | null;
  currency: string | null;
  paymentId: string | null;
  paymentMethodId: string | null;
  orderId: string | null;
  invoiceNumber: string | null;
  reason: string | null;
  error: { code?: string; description: string } | null;
  createdAt: string;
  version: number;
  settled: boolean;
}
export interface SettlementLine {
  id: string;
  kind: 'CAPTURE' | 'REFUND' | 'FEE' | 'CHARGEBACK';
  pspReference: string;
  orderId: string | null;
  gross: bigint;
  fee: bigint;
  net: bigint;
  currency: string;
}
export interface PspSettlement {
  id: string;
  currency: string;
  settledAt: string;
  lines: SettlementLine[];
  version: number;
}

/**
 * Seed 004's rejections that do produce a REFUND_FAILED webhook, each with the webhook's own
 * (inconsistent) code, source and set of objects. `code: undefined` = the seed's missing code.
 */
const REJECTIONS = {
  notRefundable: { title: 'PAYMENT_ERROR', detail: 'Cannot issue refund for this payment', code: 'PAYMENT_ERROR', source: '', objects: ['paymentMethod', 'customer'] },
  disputedFraud: { title: 'INVALID_REQUEST', detail: 'Cannot issue refund for this payment', code: 'charge_disputed', source: 'card-refund', objects: ['payment', 'paymentMethod', 'customer'] },
  notCaptured: { title: 'INVALID_REQUEST', detail: 'Refunds can only be processed for captured payments', code: undefined, source: 'vendor-portal', objects: ['payment', 'paymentMethod', 'customer'] },
  inDispute: { title: 'INVALID_REQUEST', detail: 'Payment is in dispute and not available for refund', code: 'VENDOR_ERROR', source: '', objects: ['payment', 'paymentMethod', 'customer'] },
  alreadyRefunded: { title: 'INVALID_REQUEST', detail: 'This payment is already refunded', code: 'charge_already_refunded', source: '', objects: ['payment', 'paymentMethod', 'customer'] },
  // The seed's webhook words this one differently from the synchronous detail.
  overRefund: { title: 'INVALID_REQUEST', detail: 'Refund amount cannot be more than the un-refunded amount of the original payment', description: 'Refund amount cannot be more than the payment amount', code: undefined, source: '', objects: ['payment', 'paymentMethod', 'customer'] },
  methodCanceled: { title: 'INVALID_REQUEST', detail: 'Payment method is canceled by a customer or expired by the financial partner', code: 'VENDOR_ERROR', source: '', objects: ['payment', 'paymentMethod', 'customer'] },
  invalidMethod: { title: 'INVALID_REQUEST', detail: 'Invalid paymentMethodId', code: 'INVALID_REQUEST', source: 'vendor-portal', objects: [] },
  bankAccount: { title: 'INVALID_REQUEST', detail: 'Credit is not allowed for bank accounts.', code: 'INVALID_REQUEST', source: '', objects: [] },
  overLimit: { title: 'INVALID_REQUEST', detail: 'The amount given exceeds the allowed refund limit', code: 'amount_too_large', source: '', objects: ['paymentMethod', 'customer'] },
} satisfies Record<string, { title: string; detail: string; description?: string; code: string | undefined; source: string; objects: string[] }>;
type Rejection = (typeof REJECTIONS)[keyof typeof REJECTIONS];

/** Seed 004's validation failures: answered 400, never a webhook, never a refund record. */
export const REFUND_VALIDATION = {
  noId: 'paymentId or paymentMethodId is required',
  bothIds: 'Either paymentId or paymentMethodId should be provided. The request has both paymentId and paymentMethodId',
  amountRequired: 'When paymentMethodId is present, amount is required',
  customerRequired: 'When paymentMethodId is present, customer should contain hsid, enterpriseId or metadata',
  duplicate: 'Refund already exists for the given merchantTransactionId',
} as const;

export const LATE_FAILURE_DESCRIPTION = 'Refund was declined by the financial partner after it was accepted';
const DEFAULT_CREDIT_LIMIT = 100_000n;

export function createPspSimulator(opts: SimOptions = {}) {
  const state = {
    payments: new Map<string, PspPayment>(),
    paymentMethods: new Map<string, PspPaymentMethod>(),
    captures: new Map<string, PspCapture>(),
    refunds: new Map<string, PspRefund>(),
    /** merchantTransactionId → refundId; a refund record exists for every id in here. */
    merchantTransactionIds: new Map<string, string>(),
    settlements: new Map<string, PspSettlement>(),
  };
  const base = simBase('psp', opts, {
    faults: { lateFailNext: 0, creditLimit: DEFAULT_CREDIT_LIMIT },
    applyFaults: (b, f) => {
      if (b.lateFailNext !== undefined) f.lateFailNext = count(b.lateFailNext, 'lateFailNext');
      if (b.creditLimit !== undefined) f.creditLimit = parseMinor(b.creditLimit, 'creditLimit');
    },
    dump: () => ({ ...state }),
    reset: () => Object.values(state).forEach((m) => m.clear()),
  });
  const { route, emit, now, webhooks, faults } = base;

  const paymentView = ({ fraud: _f, ...p }: PspPayment) => p;
  const captureView = ({ settled: _s, ...c }: PspCapture) => c;
  const refundView = ({ settled: _s, ...r }: PspRefund) => r;
  const paymentOf = (id: string) => {
    const p = state.payments.get(id);
    if (!p) throw notFound(`Payment ${id} not found`);
    return p;
  };
  const captured = (p: PspPayment) => sum([...state.captures.values()].filter((c) => c.paymentId === p.id).map((c) => c.amount));
  const refunded = (p: PspPayment) =>
    sum([...state.refunds.values()].filter((r) => r.paymentId === p.id && r.status === 'SUCCEEDED').map((r) => r.amount ?? 0n));
  const paymentUpserted = (p: PspPayment) => emit('payment.upserted', { payment: paymentView(p) });
  const changePayment = async (p: PspPayment, change: Partial<PspPayment>) => {
    const keys = Object.keys(change) as (keyof PspPayment)[];
    if (keys.every((k) => p[k] === change[k])) return;
    Object.assign(p, change);
    p.version++;
    await paymentUpserted(p);
  };

  // ------------------------------------------------------------ payments

  route('post', '/payments', async (req) => {
    const b = bodyOf(req);
    const id = optStr(b.id, 'id') ?? newId('pay');
    if (state.payments.has(id)) throw conflict(`Payment ${id} already exists`);
    const currency = parseCurrency(b.currency);
    const authorized = parseMinor(b.amount, 'amount', { positive: true });
    const type = b.method === undefined ? 'CARD' : oneOf(b.method, METHOD_TYPES, 'method');
    const pmStatus = b.paymentMethodStatus === undefined ? undefined : oneOf(b.paymentMethodStatus, METHOD_STATUSES, 'paymentMethodStatus');
    const customerId = optStr(b.customerId, 'customerId') ?? null;
    const pmId = optStr(b.paymentMethodId, 'paymentMethodId') ?? newId('pm');
    let pm = state.paymentMethods.get(pmId);
    if (pm && (pm.type !== type || (pmStatus && pmStatus !== pm.status))) {
      throw conflict(`Payment method ${pmId} is a ${pm.type} in status ${pm.status}; change it with PATCH /payment-methods/${pmId}`);
    }
    if (!pm) {
      pm = { id: pmId, type, status: pmStatus ?? 'ACTIVE', customerId, currency };
      state.paymentMethods.set(pmId, pm);
    }
    const payment: PspPayment = {
      id, orderId: optStr(b.orderId, 'orderId') ?? null, method: type, paymentMethodId: pmId, paymentMethodStatus: pm.status,
      customerId, status: 'AUTHORIZED', disputed: false, fraud: false, authorized, currency,
      createdAt: optIso(b.createdAt, 'createdAt') ?? now(), version: 1,
    };
    state.payments.set(id, payment);
    await paymentUpserted(payment);
    return { status: 201, body: paymentView(payment) };
  });

  route('get', '/payments/:id', (req) => ({ status: 200, body: paymentView(paymentOf(param(req, 'id'))) }));

  route('post', '/payments/:id/captures', async (req) => {
    const p = paymentOf(param(req, 'id'));
    const b = bodyOf(req);
    if (p.status !== 'AUTHORIZED' && p.status !== 'COMPLETED') throw conflict(`Payment ${p.id} is ${p.status} and cannot be captured`);
    const remaining = p.authorized - captured(p);
    const amount = b.amount === undefined ? remaining : parseMinor(b.amount, 'amount', { positive: true });
    if (remaining <= 0n) throw conflict(`Payment ${p.id} is fully captured`);
    if (amount > remaining) throw conflict(`Capture of ${amount} exceeds the remaining authorized amount ${remaining}`);
    const id = optStr(b.id, 'id') ?? newId('cap');
    if (state.captures.has(id)) throw conflict(`Capture ${id} already exists`);
    const capture: PspCapture = { id, paymentId: p.id, orderId: p.orderId, amount, currency: p.currency, capturedAt: now(), settled: false };
    state.captures.set(id, capture);
    const wasCompleted = p.status === 'COMPLETED';
    if (!wasCompleted) (p.status = 'COMPLETED'), p.version++;
    await emit('capture.created', { capture: captureView(capture) });
    // A further partial capture does not change the payment, so it gets no new version or event.
    if (!wasCompleted) await paymentUpserted(p);
    return { status: 201, body: { capture: captureView(capture), payment: paymentView(p) } };
  });

  const transition = (to: 'CANCELED' | 'FAILED') => async (req: Request) => {
    const p = paymentOf(param(req, 'id'));
    if (p.status !== 'AUTHORIZED') throw conflict(`Payment ${p.id} is ${p.status}; only AUTHORIZED payments can become ${to}`);
    await changePayment(p, { status: to });
    return { status: 200, body: paymentView(p) };
  };
  route('post', '/payments/:id/cancel', transition('CANCELED'));
  route('post', '/payments/:id/fail', transition('FAILED'));

  route('post', '/payments/:id/dispute', async (req) => {
    const p = paymentOf(param(req, 'id'));
    const b = bodyOf(req);
    const disputed = flag(b.disputed, 'disputed');
    const fraud = disputed && (b.fraud === undefined ? p.fraud : flag(b.fraud, 'fraud'));
    await changePayment(p, { disputed, fraud });
    return { status: 200, body: { ...paymentView(p), fraud: p.fraud } };
  });

  route('patch', '/payment-methods/:paymentMethodId', async (req) => {
    const pm = state.paymentMethods.get(param(req, 'paymentMethodId'));
    if (!pm) throw notFound(`Payment method ${param(req, 'paymentMethodId')} not found`);
    pm.status = oneOf(bodyOf(req).status, METHOD_STATUSES, 'status');
    const payments = [...state.payments.values()].filter((p) => p.paymentMethodId === pm.id);
    for (const p of payments) await changePayment(p, { paymentMethodStatus: pm.status });
    return { status: 200, body: { paymentMethod: pm, payments: payments.map(paymentView) } };
  });

  // ------------------------------------------------------------ refunds (seed 004)

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
    const pm = state.paymentMethods.get(p ? p.paymentMethodId : pmId ?? '');
    let amount = requested;
    const record = (status: PspRefund['status'], error: PspRefund['error']): PspRefund => {
      const r: PspRefund = {
        refundId: randomUUID(), merchantTransactionId: mtid, status, amount: amount ?? null,
        currency: p?.currency ?? pm?.currency ?? null, paymentId: paymentId ?? null, paymentMethodId: pmId ?? null,
        orderId: p?.orderId ?? metadata.orderId, invoiceNumber: metadata.invoiceNumber,
        reason: optStr(b.reason, 'reason') ?? null, error, createdAt: now(), version: 1, settled: false,
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
        refundId: r.refundId, merchantTransactionId: r.merchantTransactionId, status: r.status,
        ...(r.amount !== null ? { amount: r.amount } : {}), ...(r.currency !== null ? { currency: r.currency } : {}),
        createdAt: r.createdAt, ...Object.fromEntries(keep.map((k) => [k, o[k]])),
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
      refundId: r.refundId, merchantTransactionId: mtid, status: r.status, amount: r.amount, currency: r.currency,
      paymentId: r.paymentId, paymentMethodId: r.paymentMethodId, createdAt: r.createdAt,
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
    const refunds = [...state.refunds.values()].filter(
      (r) => (mtid === undefined || r.merchantTransactionId === mtid) && (paymentId === undefined || r.paymentId === paymentId),
    );
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
      name: 'REFUND_REVERSED', source: '',
      payload: {
        refundId: r.refundId, merchantTransactionId: r.merchantTransactionId, status: r.status, amount: r.amount, currency: r.currency,
        createdAt: r.createdAt, payment: { paymentId: r.paymentId, orderId: r.orderId }, metadata: { orderId: r.orderId, invoiceNumber: r.invoiceNumber },
      },
    });
    return { status: 200, body: refundView(r) };
  });

  route('get', '/orders/:orderId/payments', (req) => {
    const id = param(req, 'orderId');
    return {
      status: 200,
      body: {
        payments: [...state.payments.values()].filter((p) => p.orderId === id).map(paymentView),
        captures: [...state.captures.values()].filter((c) => c.orderId === id).map(captureView),
        refunds: [...state.refunds.values()].filter((r) => r.orderId === id).map(refundView),
      },
    };
  });

  // ------------------------------------------------------------ settlements

  route('post', '/settlements', async (req) => {
    const b = bodyOf(req);
    const batchId = optStr(b.id, 'id');
    if (batchId && [...state.settlements.keys()].some((k) => k === batchId || k.startsWith(`${batchId}-`))) {
      throw conflict(`Settlement ${batchId} already exists`);
    }
    if (b.extraLines !== undefined && !Array.isArray(b.extraLines)) throw bad('extraLines must be an array');
    const captures = [...state.captures.values()].filter((c) => !c.settled);
    const refunds = [...state.refunds.values()].filter((r) => !r.settled && r.status === 'SUCCEEDED');
    const lines: Omit<SettlementLine, 'id'>[] = [
      ...captures.map((c) => ({ kind: 'CAPTURE' as const, pspReference: c.id, orderId: c.orderId, gross: c.amount, fee: 0n, net: c.amount, currency: c.currency })),
      ...refunds.map((r) => ({ kind: 'REFUND' as const, pspReference: r.refundId, orderId: r.orderId, gross: -r.amount!, fee: 0n, net: -r.amount!, currency: r.currency! })),
    ];
    const implicit = new Set(lines.map((l) => l.currency));
    ((b.extraLines ?? []) as unknown[]).forEach((x, i) => {
      if (!isObj(x)) throw bad(`extraLines[${i}] must be an object`);
      const gross = parseMinor(x.gross, `extraLines[${i}].gross`, { signed: true });
      const fee = x.fee === undefined ? 0n : parseMinor(x.fee, `extraLines[${i}].fee`, { signed: true });
      const currency = x.currency !== undefined ? parseCurrency(x.currency, `extraLines[${i}].currency`)
        : b.currency !== undefined ? parseCurrency(b.currency)
        : implicit.size === 1 ? [...implicit][0]
        : (() => { throw bad(`extraLines[${i}].currency is required when the batch has no single currency`); })();
      lines.push({
        kind: oneOf(x.kind, ['CAPTURE', 'REFUND', 'FEE', 'CHARGEBACK'] as const, `extraLines[${i}].kind`),
        pspReference: reqStr(x.pspReference, `extraLines[${i}].pspReference`),
        orderId: optStr(x.orderId, `extraLines[${i}].orderId`) ?? null,
        gross, fee,
        net: x.net === undefined ? gross - fee : parseMinor(x.net, `extraLines[${i}].net`, { signed: true }),
        currency,
      });
    });
    if (lines.length === 0) throw conflict('Nothing to settle');
    captures.forEach((c) => (c.settled = true));
    refunds.forEach((r) => (r.settled = true));
    const currencies = [...new Set(lines.map((l) => l.currency))];
    const settledAt = now();
    const settlements = currencies.map((currency): PspSettlement => {
      const id = batchId ? (currencies.length === 1 ? batchId : `${batchId}-${currency}`) : newId('stl');
      const own = lines.filter((l) => l.currency === currency).map((l, i) => ({ id: `${id}-L${i + 1}`, ...l }));
      const s = { id, currency, settledAt, lines: own, version: 1 };
      state.settlements.set(id, s);
      return s;
    });
    for (const { version: _v, ...settlement } of settlements) await emit('settlement.closed', { settlement });
    return { status: 201, body: { settlement: settlements[0], settlements } };
  });

  return { app: base.app, state, webhooks, faults, start: base.start };
}

const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
