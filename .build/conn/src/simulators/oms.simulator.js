"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ORDER_STATUSES = void 0;
exports.createOmsSimulator = createOmsSimulator;
/** OMS simulator: orders, invoices, customer interactions and the OMS's own copy of invoiceData. */
const http_1 = require("./http");
exports.ORDER_STATUSES = ['CREATED', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELED', 'REJECTED'];
function createOmsSimulator(opts = {}) {
    const state = {
        orders: new Map(),
        invoices: new Map(),
        interactions: new Map(),
        invoiceData: new Map(),
        /** Idempotency-Key → the answer first given for it. */
        invoiceDataKeys: new Map(),
        invoiceSeq: 0,
    };
    const base = (0, http_1.simBase)('oms', opts, {
        faults: { rejectOrders: false },
        applyFaults: (b, f) => {
            if (b.rejectOrders !== undefined)
                f.rejectOrders = (0, http_1.flag)(b.rejectOrders, 'rejectOrders');
        },
        dump: () => ({ ...state }),
        reset: () => {
            for (const m of [state.orders, state.invoices, state.interactions, state.invoiceData, state.invoiceDataKeys])
                m.clear();
            state.invoiceSeq = 0;
        },
    });
    const { route, emit, now } = base;
    const orderOf = (id) => {
        const o = state.orders.get(id);
        if (!o)
            throw (0, http_1.notFound)(`Order ${id} not found`);
        return o;
    };
    const addInteraction = async (i) => {
        state.interactions.set(i.id, i);
        await emit('interaction.created', { interaction: i });
    };
    const invoiceDataView = (d) => ({ orderId: d.orderId, version: d.version, entries: d.entries });
    route('post', '/orders', async (req) => {
        const b = (0, http_1.bodyOf)(req);
        const id = (0, http_1.optStr)(b.id, 'id') ?? (0, http_1.newId)('ord');
        if (state.orders.has(id))
            throw (0, http_1.conflict)(`Order ${id} already exists`);
        const order = {
            id,
            status: base.faults.rejectOrders ? 'REJECTED' : b.status === undefined ? 'CREATED' : (0, http_1.oneOf)(b.status, exports.ORDER_STATUSES, 'status'),
            currency: (0, http_1.parseCurrency)(b.currency),
            total: (0, http_1.parseMinor)(b.total, 'total'),
            customerId: (0, http_1.optStr)(b.customerId, 'customerId') ?? null,
            createdAt: (0, http_1.optIso)(b.createdAt, 'createdAt') ?? now(),
            version: 1,
        };
        state.orders.set(id, order);
        state.invoiceData.set(id, { orderId: id, version: 1, entries: [] });
        await emit('order.upserted', { order });
        return { status: 201, body: order };
    });
    route('get', '/orders/:id', (req) => {
        const order = orderOf((0, http_1.param)(req, 'id'));
        const byOrder = (m) => [...m.values()].filter((x) => x.orderId === order.id);
        return {
            status: 200,
            body: {
                order,
                invoices: byOrder(state.invoices),
                interactions: byOrder(state.interactions),
                invoiceData: { version: state.invoiceData.get(order.id).version, entries: state.invoiceData.get(order.id).entries },
            },
        };
    });
    route('patch', '/orders/:id', async (req) => {
        const order = orderOf((0, http_1.param)(req, 'id'));
        const status = (0, http_1.oneOf)((0, http_1.bodyOf)(req).status, exports.ORDER_STATUSES, 'status');
        if (status === order.status)
            return { status: 200, body: order };
        const from = order.status;
        order.status = status;
        order.version++;
        await emit('order.upserted', { order });
        await addInteraction({
            id: (0, http_1.newId)('int'), orderId: order.id, kind: 'Order Status', message: `Order status changed from ${from} to ${status}`,
            occurredAt: now(), refundId: null,
        });
        return { status: 200, body: order };
    });
    route('post', '/orders/:id/invoices', async (req) => {
        const order = orderOf((0, http_1.param)(req, 'id'));
        const b = (0, http_1.bodyOf)(req);
        const number = (0, http_1.optStr)(b.number, 'number') ?? `INV-${String(++state.invoiceSeq).padStart(6, '0')}`;
        if (state.invoices.has(number))
            throw (0, http_1.conflict)(`Invoice ${number} already exists`);
        const invoice = {
            number,
            orderId: order.id,
            kind: (0, http_1.oneOf)(b.kind, ['OUTPUT', 'INPUT'], 'kind'),
            amount: (0, http_1.parseMinor)(b.amount, 'amount'),
            currency: order.currency,
            issuedAt: (0, http_1.optIso)(b.issuedAt, 'issuedAt') ?? now(),
            version: 1,
        };
        state.invoices.set(number, invoice);
        await emit('invoice.created', { invoice });
        await addInteraction({
            id: (0, http_1.newId)('int'), orderId: order.id, kind: 'Invoice Notification', message: `Invoice ${number} issued`,
            occurredAt: invoice.issuedAt, refundId: null,
        });
        return { status: 201, body: invoice };
    });
    route('post', '/orders/:id/interactions', async (req) => {
        const order = orderOf((0, http_1.param)(req, 'id'));
        const b = (0, http_1.bodyOf)(req);
        const id = (0, http_1.reqStr)(b.id, 'id');
        const existing = state.interactions.get(id);
        if (existing) {
            if (existing.orderId !== order.id)
                throw (0, http_1.conflict)(`Interaction ${id} belongs to another order`);
            return { status: 200, body: existing };
        }
        if (typeof b.message !== 'string')
            throw (0, http_1.bad)('message is required');
        const interaction = {
            id, orderId: order.id, kind: (0, http_1.reqStr)(b.kind, 'kind'), message: b.message, occurredAt: now(),
            refundId: (0, http_1.optStr)(b.refundId, 'refundId') ?? null,
        };
        await addInteraction(interaction);
        return { status: 201, body: interaction };
    });
    route('put', '/orders/:id/invoice-data', async (req) => {
        const key = req.get('Idempotency-Key');
        if (!key)
            throw (0, http_1.bad)('Idempotency-Key header is required');
        const seen = state.invoiceDataKeys.get(key);
        if (seen)
            return seen;
        const order = orderOf((0, http_1.param)(req, 'id'));
        const b = (0, http_1.bodyOf)(req);
        const data = state.invoiceData.get(order.id);
        if (b.version !== undefined && b.version !== data.version) {
            throw (0, http_1.conflict)(`invoiceData is at version ${data.version}, not ${String(b.version)}`);
        }
        if (!Array.isArray(b.entries))
            throw (0, http_1.bad)('entries must be an array');
        const entries = b.entries.map((e, i) => {
            if (!(0, http_1.isObj)(e))
                throw (0, http_1.bad)(`entries[${i}] must be an object`);
            const invoiceNumber = (0, http_1.reqStr)(e.invoiceNumber, `entries[${i}].invoiceNumber`);
            if (state.invoices.get(invoiceNumber)?.orderId !== order.id)
                throw (0, http_1.bad)(`Invoice ${invoiceNumber} does not belong to order ${order.id}`);
            if (!Array.isArray(e.refundIds) || !e.refundIds.every((r) => typeof r === 'string')) {
                throw (0, http_1.bad)(`entries[${i}].refundIds must be an array of strings`);
            }
            return { invoiceNumber, refunded: (0, http_1.parseMinor)(e.refunded, `entries[${i}].refunded`), refundIds: [...e.refundIds] };
        });
        data.entries = entries;
        data.version++;
        // Recorded before the await so a concurrent replay of the key cannot apply the change twice;
        // a frozen copy so the replay answers what this call answered, not the current state.
        const reply = { status: 200, body: JSON.parse(JSON.stringify(invoiceDataView(data), big)) };
        state.invoiceDataKeys.set(key, reply);
        await emit('invoice_data.updated', invoiceDataView(data));
        return reply;
    });
    return { app: base.app, state, webhooks: base.webhooks, faults: base.faults, start: base.start };
}
const big = (_k, v) => (typeof v === 'bigint' ? v.toString() : v);
//# sourceMappingURL=oms.simulator.js.map