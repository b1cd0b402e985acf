/**
 * PSP simulator: payments, captures, settlements, and the refund API of seed 004 with its exact
 * synchronous errors and its inconsistent REFUND_* webhook shapes (psp.refunds.ts, with the rules
 * in psp.refund-rules.ts and the records in psp.model.ts).
 */
import type { Request } from 'express';
import { bad, bodyOf, conflict, isObj, newId, notFound, param } from './http-kit';
import {
  METHOD_STATUSES,
  METHOD_TYPES,
  type PspCapture,
  type PspPayment,
  type PspPaymentMethod,
  type PspRefund,
  type PspSettlement,
  type PspState,
  type SettlementLine,
} from './psp.model';
import { DEFAULT_CREDIT_LIMIT } from './psp.refund-rules';
import { refundRoutes } from './psp.refunds';
import { simBase, type SimOptions } from './sim-base';
import { count, flag, oneOf, optIso, optStr, parseCurrency, parseMinor, reqStr } from './validators';

export * from './psp.model';

export function createPspSimulator(opts: SimOptions = {}) {
  const state: PspState = {
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
  const refunded = (p: PspPayment) => sum([...state.refunds.values()].filter((r) => r.paymentId === p.id && r.status === 'SUCCEEDED').map((r) => r.amount ?? 0n));
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
      id,
      orderId: optStr(b.orderId, 'orderId') ?? null,
      method: type,
      paymentMethodId: pmId,
      paymentMethodStatus: pm.status,
      customerId,
      status: 'AUTHORIZED',
      disputed: false,
      fraud: false,
      authorized,
      currency,
      createdAt: optIso(b.createdAt, 'createdAt') ?? now(),
      version: 1,
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
    if (!wasCompleted) {
      p.status = 'COMPLETED';
      p.version++;
    }
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

  refundRoutes({ state, route, webhooks, faults, now, captured, refunded, refundView });

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
      const currency =
        x.currency !== undefined
          ? parseCurrency(x.currency, `extraLines[${i}].currency`)
          : b.currency !== undefined
            ? parseCurrency(b.currency)
            : implicit.size === 1
              ? [...implicit][0]!
              : (() => {
                  throw bad(`extraLines[${i}].currency is required when the batch has no single currency`);
                })();
      lines.push({
        kind: oneOf(x.kind, ['CAPTURE', 'REFUND', 'FEE', 'CHARGEBACK'] as const, `extraLines[${i}].kind`),
        pspReference: reqStr(x.pspReference, `extraLines[${i}].pspReference`),
        orderId: optStr(x.orderId, `extraLines[${i}].orderId`) ?? null,
        gross,
        fee,
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
