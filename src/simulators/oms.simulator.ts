/** OMS simulator: orders, invoices, customer interactions and the OMS's own copy of invoiceData. */
import { stringifyWithBigints } from '../shared/json';
import { bad, bodyOf, param, conflict, isObj, newId, notFound, type Json } from './http-kit';
import { simBase, type Reply, type SimOptions } from './sim-base';
import { flag, oneOf, optIso, optStr, parseCurrency, parseMinor, reqStr } from './validators';

export const ORDER_STATUSES = ['CREATED', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELED', 'REJECTED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OmsOrder {
  id: string;
  status: OrderStatus;
  currency: string;
  total: bigint;
  customerId: string | null;
  createdAt: string;
  version: number;
}
export interface OmsInvoice {
  number: string;
  orderId: string;
  kind: 'OUTPUT' | 'INPUT';
  amount: bigint;
  currency: string;
  issuedAt: string;
  version: number;
}
export interface OmsInteraction {
  id: string;
  orderId: string;
  kind: string;
  message: string;
  occurredAt: string;
  refundId: string | null;
}
export interface InvoiceDataEntry {
  invoiceNumber: string;
  refunded: bigint;
  refundIds: string[];
}
export interface OmsInvoiceData {
  orderId: string;
  version: number;
  entries: InvoiceDataEntry[];
}

export function createOmsSimulator(opts: SimOptions = {}) {
  const state = {
    orders: new Map<string, OmsOrder>(),
    invoices: new Map<string, OmsInvoice>(),
    interactions: new Map<string, OmsInteraction>(),
    invoiceData: new Map<string, OmsInvoiceData>(),
    /** Idempotency-Key → the answer first given for it. */
    invoiceDataKeys: new Map<string, Reply>(),
    invoiceSeq: 0,
  };
  const base = simBase('oms', opts, {
    faults: { rejectOrders: false },
    applyFaults: (b, f) => {
      if (b.rejectOrders !== undefined) f.rejectOrders = flag(b.rejectOrders, 'rejectOrders');
    },
    dump: () => ({ ...state }),
    reset: () => {
      for (const m of [state.orders, state.invoices, state.interactions, state.invoiceData, state.invoiceDataKeys]) m.clear();
      state.invoiceSeq = 0;
    },
  });
  const { route, emit, now } = base;

  const orderOf = (id: string) => {
    const o = state.orders.get(id);
    if (!o) throw notFound(`Order ${id} not found`);
    return o;
  };
  const addInteraction = async (i: OmsInteraction) => {
    state.interactions.set(i.id, i);
    await emit('interaction.created', { interaction: i });
  };
  const invoiceDataView = (d: OmsInvoiceData) => ({ orderId: d.orderId, version: d.version, entries: d.entries });

  route('post', '/orders', async (req) => {
    const b = bodyOf(req);
    const id = optStr(b.id, 'id') ?? newId('ord');
    if (state.orders.has(id)) throw conflict(`Order ${id} already exists`);
    const order: OmsOrder = {
      id,
      status: base.faults.rejectOrders ? 'REJECTED' : b.status === undefined ? 'CREATED' : oneOf(b.status, ORDER_STATUSES, 'status'),
      currency: parseCurrency(b.currency),
      total: parseMinor(b.total, 'total'),
      customerId: optStr(b.customerId, 'customerId') ?? null,
      createdAt: optIso(b.createdAt, 'createdAt') ?? now(),
      version: 1,
    };
    state.orders.set(id, order);
    state.invoiceData.set(id, { orderId: id, version: 1, entries: [] });
    await emit('order.upserted', { order });
    return { status: 201, body: order };
  });

  route('get', '/orders/:id', (req) => {
    const order = orderOf(param(req, 'id'));
    const byOrder = <T extends { orderId: string }>(m: Map<string, T>) => [...m.values()].filter((x) => x.orderId === order.id);
    return {
      status: 200,
      body: {
        order,
        invoices: byOrder(state.invoices),
        interactions: byOrder(state.interactions),
        invoiceData: { version: state.invoiceData.get(order.id)!.version, entries: state.invoiceData.get(order.id)!.entries },
      },
    };
  });

  route('patch', '/orders/:id', async (req) => {
    const order = orderOf(param(req, 'id'));
    const status = oneOf(bodyOf(req).status, ORDER_STATUSES, 'status');
    if (status === order.status) return { status: 200, body: order };
    const from = order.status;
    order.status = status;
    order.version++;
    await emit('order.upserted', { order });
    await addInteraction({
      id: newId('int'),
      orderId: order.id,
      kind: 'Order Status',
      message: `Order status changed from ${from} to ${status}`,
      occurredAt: now(),
      refundId: null,
    });
    return { status: 200, body: order };
  });

  route('post', '/orders/:id/invoices', async (req) => {
    const order = orderOf(param(req, 'id'));
    const b = bodyOf(req);
    const number = optStr(b.number, 'number') ?? `INV-${String(++state.invoiceSeq).padStart(6, '0')}`;
    if (state.invoices.has(number)) throw conflict(`Invoice ${number} already exists`);
    const invoice: OmsInvoice = {
      number,
      orderId: order.id,
      kind: oneOf(b.kind, ['OUTPUT', 'INPUT'] as const, 'kind'),
      amount: parseMinor(b.amount, 'amount'),
      currency: order.currency,
      issuedAt: optIso(b.issuedAt, 'issuedAt') ?? now(),
      version: 1,
    };
    state.invoices.set(number, invoice);
    await emit('invoice.created', { invoice });
    await addInteraction({
      id: newId('int'),
      orderId: order.id,
      kind: 'Invoice Notification',
      message: `Invoice ${number} issued`,
      occurredAt: invoice.issuedAt,
      refundId: null,
    });
    return { status: 201, body: invoice };
  });

  route('post', '/orders/:id/interactions', async (req) => {
    const order = orderOf(param(req, 'id'));
    const b = bodyOf(req);
    const id = reqStr(b.id, 'id');
    const existing = state.interactions.get(id);
    if (existing) {
      if (existing.orderId !== order.id) throw conflict(`Interaction ${id} belongs to another order`);
      return { status: 200, body: existing };
    }
    if (typeof b.message !== 'string') throw bad('message is required');
    const interaction: OmsInteraction = {
      id,
      orderId: order.id,
      kind: reqStr(b.kind, 'kind'),
      message: b.message,
      occurredAt: now(),
      refundId: optStr(b.refundId, 'refundId') ?? null,
    };
    await addInteraction(interaction);
    return { status: 201, body: interaction };
  });

  route('put', '/orders/:id/invoice-data', async (req) => {
    const key = req.get('Idempotency-Key');
    if (!key) throw bad('Idempotency-Key header is required');
    const seen = state.invoiceDataKeys.get(key);
    if (seen) return seen;
    const order = orderOf(param(req, 'id'));
    const b = bodyOf(req);
    const data = state.invoiceData.get(order.id)!;
    if (b.version !== undefined && b.version !== data.version) {
      throw conflict(`invoiceData is at version ${data.version}, not ${String(b.version)}`);
    }
    if (!Array.isArray(b.entries)) throw bad('entries must be an array');
    const entries = b.entries.map((e: unknown, i): InvoiceDataEntry => {
      if (!isObj(e)) throw bad(`entries[${i}] must be an object`);
      const invoiceNumber = reqStr(e.invoiceNumber, `entries[${i}].invoiceNumber`);
      if (state.invoices.get(invoiceNumber)?.orderId !== order.id) throw bad(`Invoice ${invoiceNumber} does not belong to order ${order.id}`);
      if (!Array.isArray(e.refundIds) || !e.refundIds.every((r) => typeof r === 'string')) {
        throw bad(`entries[${i}].refundIds must be an array of strings`);
      }
      return { invoiceNumber, refunded: parseMinor(e.refunded, `entries[${i}].refunded`), refundIds: [...(e.refundIds as string[])] };
    });
    data.entries = entries;
    data.version++;
    // Recorded before the await so a concurrent replay of the key cannot apply the change twice;
    // a frozen copy so the replay answers what this call answered, not the current state.
    const reply: Reply = { status: 200, body: JSON.parse(stringifyWithBigints(invoiceDataView(data))) as Json };
    state.invoiceDataKeys.set(key, reply);
    await emit('invoice_data.updated', invoiceDataView(data));
    return reply;
  });

  return { app: base.app, state, webhooks: base.webhooks, faults: base.faults, start: base.start };
}
