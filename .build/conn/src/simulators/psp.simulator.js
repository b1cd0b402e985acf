"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LATE_FAILURE_DESCRIPTION = exports.REFUND_VALIDATION = exports.METHOD_STATUSES = exports.METHOD_TYPES = exports.PAYMENT_STATUSES = void 0;
exports.createPspSimulator = createPspSimulator;
const node_crypto_1 = require("node:crypto");
const http_1 = require("./http");
exports.PAYMENT_STATUSES = ['AUTHORIZED', 'COMPLETED', 'CANCELED', 'FAILED'];
exports.METHOD_TYPES = ['CARD', 'BANK_ACCOUNT', 'WALLET'];
exports.METHOD_STATUSES = ['ACTIVE', 'CANCELED', 'EXPIRED', 'DELETED'];
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
};
/** Seed 004's validation failures: answered 400, never a webhook, never a refund record. */
exports.REFUND_VALIDATION = {
    noId: 'paymentId or paymentMethodId is required',
    bothIds: 'Either paymentId or paymentMethodId should be provided. The request has both paymentId and paymentMethodId',
    amountRequired: 'When paymentMethodId is present, amount is required',
    customerRequired: 'When paymentMethodId is present, customer should contain hsid, enterpriseId or metadata',
    duplicate: 'Refund already exists for the given merchantTransactionId',
};
exports.LATE_FAILURE_DESCRIPTION = 'Refund was declined by the financial partner after it was accepted';
const DEFAULT_CREDIT_LIMIT = 100000n;
function createPspSimulator(opts = {}) {
    const state = {
        payments: new Map(),
        paymentMethods: new Map(),
        captures: new Map(),
        refunds: new Map(),
        /** merchantTransactionId → refundId; a refund record exists for every id in here. */
        merchantTransactionIds: new Map(),
        settlements: new Map(),
    };
    const base = (0, http_1.simBase)('psp', opts, {
        faults: { lateFailNext: 0, creditLimit: DEFAULT_CREDIT_LIMIT },
        applyFaults: (b, f) => {
            if (b.lateFailNext !== undefined)
                f.lateFailNext = (0, http_1.count)(b.lateFailNext, 'lateFailNext');
            if (b.creditLimit !== undefined)
                f.creditLimit = (0, http_1.parseMinor)(b.creditLimit, 'creditLimit');
        },
        dump: () => ({ ...state }),
        reset: () => Object.values(state).forEach((m) => m.clear()),
    });
    const { route, emit, now, webhooks, faults } = base;
    const paymentView = ({ fraud: _f, ...p }) => p;
    const captureView = ({ settled: _s, ...c }) => c;
    const refundView = ({ settled: _s, ...r }) => r;
    const paymentOf = (id) => {
        const p = state.payments.get(id);
        if (!p)
            throw (0, http_1.notFound)(`Payment ${id} not found`);
        return p;
    };
    const captured = (p) => sum([...state.captures.values()].filter((c) => c.paymentId === p.id).map((c) => c.amount));
    const refunded = (p) => sum([...state.refunds.values()].filter((r) => r.paymentId === p.id && r.status === 'SUCCEEDED').map((r) => r.amount ?? 0n));
    const paymentUpserted = (p) => emit('payment.upserted', { payment: paymentView(p) });
    const changePayment = async (p, change) => {
        const keys = Object.keys(change);
        if (keys.every((k) => p[k] === change[k]))
            return;
        Object.assign(p, change);
        p.version++;
        await paymentUpserted(p);
    };
    // ------------------------------------------------------------ payments
    route('post', '/payments', async (req) => {
        const b = (0, http_1.bodyOf)(req);
        const id = (0, http_1.optStr)(b.id, 'id') ?? (0, http_1.newId)('pay');
        if (state.payments.has(id))
            throw (0, http_1.conflict)(`Payment ${id} already exists`);
        const currency = (0, http_1.parseCurrency)(b.currency);
        const authorized = (0, http_1.parseMinor)(b.amount, 'amount', { positive: true });
        const type = b.method === undefined ? 'CARD' : (0, http_1.oneOf)(b.method, exports.METHOD_TYPES, 'method');
        const pmStatus = b.paymentMethodStatus === undefined ? undefined : (0, http_1.oneOf)(b.paymentMethodStatus, exports.METHOD_STATUSES, 'paymentMethodStatus');
        const customerId = (0, http_1.optStr)(b.customerId, 'customerId') ?? null;
        const pmId = (0, http_1.optStr)(b.paymentMethodId, 'paymentMethodId') ?? (0, http_1.newId)('pm');
        let pm = state.paymentMethods.get(pmId);
        if (pm && (pm.type !== type || (pmStatus && pmStatus !== pm.status))) {
            throw (0, http_1.conflict)(`Payment method ${pmId} is a ${pm.type} in status ${pm.status}; change it with PATCH /payment-methods/${pmId}`);
        }
        if (!pm) {
            pm = { id: pmId, type, status: pmStatus ?? 'ACTIVE', customerId, currency };
            state.paymentMethods.set(pmId, pm);
        }
        const payment = {
            id, orderId: (0, http_1.optStr)(b.orderId, 'orderId') ?? null, method: type, paymentMethodId: pmId, paymentMethodStatus: pm.status,
            customerId, status: 'AUTHORIZED', disputed: false, fraud: false, authorized, currency,
            createdAt: (0, http_1.optIso)(b.createdAt, 'createdAt') ?? now(), version: 1,
        };
        state.payments.set(id, payment);
        await paymentUpserted(payment);
        return { status: 201, body: paymentView(payment) };
    });
    route('get', '/payments/:id', (req) => ({ status: 200, body: paymentView(paymentOf((0, http_1.param)(req, 'id'))) }));
    route('post', '/payments/:id/captures', async (req) => {
        const p = paymentOf((0, http_1.param)(req, 'id'));
        const b = (0, http_1.bodyOf)(req);
        if (p.status !== 'AUTHORIZED' && p.status !== 'COMPLETED')
            throw (0, http_1.conflict)(`Payment ${p.id} is ${p.status} and cannot be captured`);
        const remaining = p.authorized - captured(p);
        const amount = b.amount === undefined ? remaining : (0, http_1.parseMinor)(b.amount, 'amount', { positive: true });
        if (remaining <= 0n)
            throw (0, http_1.conflict)(`Payment ${p.id} is fully captured`);
        if (amount > remaining)
            throw (0, http_1.conflict)(`Capture of ${amount} exceeds the remaining authorized amount ${remaining}`);
        const id = (0, http_1.optStr)(b.id, 'id') ?? (0, http_1.newId)('cap');
        if (state.captures.has(id))
            throw (0, http_1.conflict)(`Capture ${id} already exists`);
        const capture = { id, paymentId: p.id, orderId: p.orderId, amount, currency: p.currency, capturedAt: now(), settled: false };
        state.captures.set(id, capture);
        const wasCompleted = p.status === 'COMPLETED';
        if (!wasCompleted)
            (p.status = 'COMPLETED'), p.version++;
        await emit('capture.created', { capture: captureView(capture) });
        // A further partial capture does not change the payment, so it gets no new version or event.
        if (!wasCompleted)
            await paymentUpserted(p);
        return { status: 201, body: { capture: captureView(capture), payment: paymentView(p) } };
    });
    const transition = (to) => async (req) => {
        const p = paymentOf((0, http_1.param)(req, 'id'));
        if (p.status !== 'AUTHORIZED')
            throw (0, http_1.conflict)(`Payment ${p.id} is ${p.status}; only AUTHORIZED payments can become ${to}`);
        await changePayment(p, { status: to });
        return { status: 200, body: paymentView(p) };
    };
    route('post', '/payments/:id/cancel', transition('CANCELED'));
    route('post', '/payments/:id/fail', transition('FAILED'));
    route('post', '/payments/:id/dispute', async (req) => {
        const p = paymentOf((0, http_1.param)(req, 'id'));
        const b = (0, http_1.bodyOf)(req);
        const disputed = (0, http_1.flag)(b.disputed, 'disputed');
        const fraud = disputed && (b.fraud === undefined ? p.fraud : (0, http_1.flag)(b.fraud, 'fraud'));
        await changePayment(p, { disputed, fraud });
        return { status: 200, body: { ...paymentView(p), fraud: p.fraud } };
    });
    route('patch', '/payment-methods/:paymentMethodId', async (req) => {
        const pm = state.paymentMethods.get((0, http_1.param)(req, 'paymentMethodId'));
        if (!pm)
            throw (0, http_1.notFound)(`Payment method ${(0, http_1.param)(req, 'paymentMethodId')} not found`);
        pm.status = (0, http_1.oneOf)((0, http_1.bodyOf)(req).status, exports.METHOD_STATUSES, 'status');
        const payments = [...state.payments.values()].filter((p) => p.paymentMethodId === pm.id);
        for (const p of payments)
            await changePayment(p, { paymentMethodStatus: pm.status });
        return { status: 200, body: { paymentMethod: pm, payments: payments.map(paymentView) } };
    });
    // ------------------------------------------------------------ refunds (seed 004)
    const createRefund = async (b) => {
        const paymentId = (0, http_1.optStr)(b.paymentId, 'paymentId');
        const pmId = (0, http_1.optStr)(b.paymentMethodId, 'paymentMethodId');
        if (!paymentId && !pmId)
            throw (0, http_1.bad)(exports.REFUND_VALIDATION.noId);
        if (paymentId && pmId)
            throw (0, http_1.bad)(exports.REFUND_VALIDATION.bothIds);
        if (pmId) {
            if (b.amount === undefined || b.amount === null)
                throw (0, http_1.bad)(exports.REFUND_VALIDATION.amountRequired);
            const c = b.customer;
            if (!(0, http_1.isObj)(c) || !(c.hsid || c.enterpriseId || c.metadata))
                throw (0, http_1.bad)(exports.REFUND_VALIDATION.customerRequired);
        }
        const requested = b.amount === undefined || b.amount === null ? undefined : (0, http_1.parseMinor)(b.amount, 'amount', { positive: true });
        const mtid = (0, http_1.reqStr)(b.merchantTransactionId, 'merchantTransactionId');
        if (state.merchantTransactionIds.has(mtid))
            throw (0, http_1.bad)(exports.REFUND_VALIDATION.duplicate);
        const meta = (0, http_1.isObj)(b.metadata) ? b.metadata : {};
        const customer = (0, http_1.isObj)(b.customer) ? b.customer : undefined;
        const metadata = { orderId: (0, http_1.optStr)(meta.orderId, 'metadata.orderId') ?? null, invoiceNumber: (0, http_1.optStr)(meta.invoiceNumber, 'metadata.invoiceNumber') ?? null };
        const p = paymentId ? state.payments.get(paymentId) : undefined;
        const pm = state.paymentMethods.get(p ? p.paymentMethodId : pmId ?? '');
        let amount = requested;
        const record = (status, error) => {
            const r = {
                refundId: (0, node_crypto_1.randomUUID)(), merchantTransactionId: mtid, status, amount: amount ?? null,
                currency: p?.currency ?? pm?.currency ?? null, paymentId: paymentId ?? null, paymentMethodId: pmId ?? null,
                orderId: p?.orderId ?? metadata.orderId, invoiceNumber: metadata.invoiceNumber,
                reason: (0, http_1.optStr)(b.reason, 'reason') ?? null, error, createdAt: now(), version: 1, settled: false,
            };
            state.refunds.set(r.refundId, r);
            state.merchantTransactionIds.set(mtid, r.refundId);
            return r;
        };
        const objects = (r) => ({
            payment: { paymentId: r.paymentId, orderId: r.orderId },
            paymentMethod: pm ? { paymentMethodId: pm.id, type: pm.type, status: pm.status } : {},
            customer: { ...(customer ?? {}), customerId: p?.customerId ?? pm?.customerId ?? null },
        });
        const payload = (r, keep) => {
            const o = objects(r);
            return {
                refundId: r.refundId, merchantTransactionId: r.merchantTransactionId, status: r.status,
                ...(r.amount !== null ? { amount: r.amount } : {}), ...(r.currency !== null ? { currency: r.currency } : {}),
                createdAt: r.createdAt, ...Object.fromEntries(keep.map((k) => [k, o[k]])),
                metadata: { orderId: r.orderId, invoiceNumber: r.invoiceNumber },
                ...(r.error ? { error: r.error } : {}),
            };
        };
        const reject = async (x) => {
            const description = 'description' in x ? x.description : x.detail;
            const r = record('FAILED', { ...(x.code !== undefined ? { code: x.code } : {}), description });
            await webhooks.emit('REFUND_FAILED', { name: 'REFUND_FAILED', source: x.source, payload: payload(r, x.objects) });
            throw new http_1.HttpError(400, x.title, x.detail);
        };
        if (paymentId) {
            if (!p || p.status === 'FAILED' || p.status === 'CANCELED')
                return reject(REJECTIONS.notRefundable);
            if (p.status === 'AUTHORIZED')
                return reject(REJECTIONS.notCaptured);
            if (p.disputed)
                return reject(p.fraud ? REJECTIONS.disputedFraud : REJECTIONS.inDispute);
            const remaining = captured(p) - refunded(p);
            if (remaining <= 0n)
                return reject(REJECTIONS.alreadyRefunded);
            amount ??= remaining;
            if (amount > remaining)
                return reject(REJECTIONS.overRefund);
            // A deleted method is as unusable for a linked refund as a canceled one.
            if (p.paymentMethodStatus !== 'ACTIVE')
                return reject(REJECTIONS.methodCanceled);
        }
        else {
            if (!pm || pm.status === 'DELETED')
                return reject(REJECTIONS.invalidMethod);
            if (pm.type === 'BANK_ACCOUNT')
                return reject(REJECTIONS.bankAccount);
            if (pm.status !== 'ACTIVE')
                return reject(REJECTIONS.methodCanceled);
            if (amount > faults.creditLimit)
                return reject(REJECTIONS.overLimit);
        }
        const r = record('SUCCEEDED', null);
        const answer = {
            refundId: r.refundId, merchantTransactionId: mtid, status: r.status, amount: r.amount, currency: r.currency,
            paymentId: r.paymentId, paymentMethodId: r.paymentMethodId, createdAt: r.createdAt,
        };
        if (faults.lateFailNext > 0) {
            // Accepted synchronously, then failed by the partner: only the webhook tells the truth.
            faults.lateFailNext--;
            Object.assign(r, { status: 'FAILED', error: { description: exports.LATE_FAILURE_DESCRIPTION }, version: 2 });
            await webhooks.emit('REFUND_FAILED', { name: 'REFUND_FAILED', source: '', payload: payload(r, ['payment', 'paymentMethod', 'customer']) });
        }
        else {
            await webhooks.emit('REFUND_SUCCEEDED', { name: 'REFUND_SUCCEEDED', source: '', payload: payload(r, ['payment']) });
        }
        return { status: 201, body: answer };
    };
    route('post', '/refunds', (req) => createRefund((0, http_1.bodyOf)(req)));
    route('post', '/refunds-direct', (req) => createRefund((0, http_1.bodyOf)(req)));
    route('get', '/refunds', (req) => {
        const q = (k) => (0, http_1.query)(req, k);
        const mtid = q('merchantTransactionId');
        const paymentId = q('paymentId');
        const refunds = [...state.refunds.values()].filter((r) => (mtid === undefined || r.merchantTransactionId === mtid) && (paymentId === undefined || r.paymentId === paymentId));
        return { status: 200, body: { refunds: refunds.map(refundView) } };
    });
    route('get', '/refunds/:refundId', (req) => {
        const r = state.refunds.get((0, http_1.param)(req, 'refundId'));
        if (!r)
            throw (0, http_1.notFound)(`Refund ${(0, http_1.param)(req, 'refundId')} not found`);
        return { status: 200, body: refundView(r) };
    });
    route('post', '/refunds/:refundId/reverse', async (req) => {
        const r = state.refunds.get((0, http_1.param)(req, 'refundId'));
        if (!r)
            throw (0, http_1.notFound)(`Refund ${(0, http_1.param)(req, 'refundId')} not found`);
        if (r.status !== 'SUCCEEDED')
            throw (0, http_1.conflict)(`Refund ${r.refundId} is ${r.status}; only SUCCEEDED refunds can be reversed`);
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
        const id = (0, http_1.param)(req, 'orderId');
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
        const b = (0, http_1.bodyOf)(req);
        const batchId = (0, http_1.optStr)(b.id, 'id');
        if (batchId && [...state.settlements.keys()].some((k) => k === batchId || k.startsWith(`${batchId}-`))) {
            throw (0, http_1.conflict)(`Settlement ${batchId} already exists`);
        }
        if (b.extraLines !== undefined && !Array.isArray(b.extraLines))
            throw (0, http_1.bad)('extraLines must be an array');
        const captures = [...state.captures.values()].filter((c) => !c.settled);
        const refunds = [...state.refunds.values()].filter((r) => !r.settled && r.status === 'SUCCEEDED');
        const lines = [
            ...captures.map((c) => ({ kind: 'CAPTURE', pspReference: c.id, orderId: c.orderId, gross: c.amount, fee: 0n, net: c.amount, currency: c.currency })),
            ...refunds.map((r) => ({ kind: 'REFUND', pspReference: r.refundId, orderId: r.orderId, gross: -r.amount, fee: 0n, net: -r.amount, currency: r.currency })),
        ];
        const implicit = new Set(lines.map((l) => l.currency));
        (b.extraLines ?? []).forEach((x, i) => {
            if (!(0, http_1.isObj)(x))
                throw (0, http_1.bad)(`extraLines[${i}] must be an object`);
            const gross = (0, http_1.parseMinor)(x.gross, `extraLines[${i}].gross`, { signed: true });
            const fee = x.fee === undefined ? 0n : (0, http_1.parseMinor)(x.fee, `extraLines[${i}].fee`, { signed: true });
            const currency = x.currency !== undefined ? (0, http_1.parseCurrency)(x.currency, `extraLines[${i}].currency`)
                : b.currency !== undefined ? (0, http_1.parseCurrency)(b.currency)
                    : implicit.size === 1 ? [...implicit][0]
                        : (() => { throw (0, http_1.bad)(`extraLines[${i}].currency is required when the batch has no single currency`); })();
            lines.push({
                kind: (0, http_1.oneOf)(x.kind, ['CAPTURE', 'REFUND', 'FEE', 'CHARGEBACK'], `extraLines[${i}].kind`),
                pspReference: (0, http_1.reqStr)(x.pspReference, `extraLines[${i}].pspReference`),
                orderId: (0, http_1.optStr)(x.orderId, `extraLines[${i}].orderId`) ?? null,
                gross, fee,
                net: x.net === undefined ? gross - fee : (0, http_1.parseMinor)(x.net, `extraLines[${i}].net`, { signed: true }),
                currency,
            });
        });
        if (lines.length === 0)
            throw (0, http_1.conflict)('Nothing to settle');
        captures.forEach((c) => (c.settled = true));
        refunds.forEach((r) => (r.settled = true));
        const currencies = [...new Set(lines.map((l) => l.currency))];
        const settledAt = now();
        const settlements = currencies.map((currency) => {
            const id = batchId ? (currencies.length === 1 ? batchId : `${batchId}-${currency}`) : (0, http_1.newId)('stl');
            const own = lines.filter((l) => l.currency === currency).map((l, i) => ({ id: `${id}-L${i + 1}`, ...l }));
            const s = { id, currency, settledAt, lines: own, version: 1 };
            state.settlements.set(id, s);
            return s;
        });
        for (const { version: _v, ...settlement } of settlements)
            await emit('settlement.closed', { settlement });
        return { status: 201, body: { settlement: settlements[0], settlements } };
    });
    return { app: base.app, state, webhooks, faults, start: base.start };
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0n);
//# sourceMappingURL=psp.simulator.js.map