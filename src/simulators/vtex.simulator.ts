/**
 * VTEX simulator: the slice of VTEX's Orders API, Feed v3, Orders Hook and Payments that the VTEX
 * OMS adapter speaks, answers shaped after VTEX's API reference (`GET /api/oms/pvt/orders/{id}`
 * with `packageAttachment.packages[]`, `invoiceValue` in cents, `lastChange`,
 * `paymentData.transactions[]`; `GET /api/pvt/transactions/{tid}` and its `/payments`,
 * `/refunds`), AppKey/AppToken authentication, and a throttling budget answering 429 with
 * Retry-After. An Input (return) invoice makes VTEX Payments refund its value by itself, as VTEX
 * does; the `forgetRefundNext` fault leaves the next one unrefunded (the field report of a return
 * invoice with no "Refund Payment"). Faults: `failNext` API calls answer 503 and do nothing, and
 * `hangNext` API calls are answered only after `hangMs` (past a client's timeout), after the call
 * was performed.
 */
import express, { type Request, type Response } from 'express';
import { listen, newId, type Served } from './http-kit';
import { VtexHookStream } from './vtex.sim-hook';

export interface VtexSimOptions {
  account?: string;
  appKey?: string;
  appToken?: string;
  /** The Orders Hook configuration: the service's hook URL and the headers VTEX sends with each notification. */
  hook?: { url?: string; headers?: Record<string, string> };
  clock?: () => Date;
  /** How long a Feed v3 item read but not committed stays hidden (VTEX: its visibility timeout). */
  feedVisibilityMs?: number;
}

export interface VtexSimFaults {
  /** The next N Input invoices are not refunded by VTEX Payments. */
  forgetRefundNext: number;
  /** Input invoices (by number) VTEX Payments will not refund. */
  forgetRefundOf: string[];
  /** Requests allowed per throttling window (0: unlimited) and the window's length. */
  throttleLimit: number;
  throttleWindowMs: number;
  /** The next N API calls answer 503 and do nothing. */
  failNext: number;
  /** The next N API calls are performed, then answered only after hangMs. */
  hangNext: number;
  hangMs: number;
}

interface Pkg {
  type: 'Output' | 'Input';
  invoiceNumber: string;
  invoiceValue: number;
  issuanceDate: string;
  restitutions: Record<string, unknown>;
}
interface SimOrder {
  orderId: string;
  status: string;
  value: number;
  currency: string;
  creationDate: string;
  lastChange: string;
  userProfileId: string;
  packages: Pkg[];
  transactionId: string;
  interactions: { source: string; message: string; date: string }[];
}
interface SimRefund {
  id: string;
  value: number;
  status: string;
  date: string;
}

export function createVtexSimulator(opts: VtexSimOptions = {}) {
  const clock = opts.clock ?? (() => new Date());
  const account = opts.account ?? 'moneygraphstore';
  const appKey = opts.appKey ?? 'vtexappkey-moneygraphstore-SIM';
  const appToken = opts.appToken ?? 'SIMULATORAPPTOKEN0123456789';
  const orders = new Map<string, SimOrder>();
  const refunds = new Map<string, SimRefund[]>();
  /** Which return each refund answered (VTEX Payments' answers do not say): what a test checks the matching against. */
  const refundedInvoice = new Map<string, string>();
  const faults: VtexSimFaults = { forgetRefundNext: 0, forgetRefundOf: [], throttleLimit: 0, throttleWindowMs: 60_000, failNext: 0, hangNext: 0, hangMs: 0 };
  const hook = new VtexHookStream({ url: opts.hook?.url, headers: opts.hook?.headers ?? {} }, clock, opts.feedVisibilityMs);
  const calls: { method: string; path: string; status: number }[] = [];
  let window = { start: 0, used: 0 };
  let last = { ms: 0, sub: 0 };
  // VTEX times carry 7 fraction digits; each change gets a strictly later one.
  const stamp = () => {
    const ms = clock().getTime();
    last = ms > last.ms ? { ms, sub: 0 } : { ms: last.ms, sub: last.sub + 1 };
    return new Date(last.ms).toISOString().replace(/\.(\d{3})Z$/, (_m, f: string) => `.${f}${String(last.sub).padStart(4, '0')}+00:00`);
  };

  async function changed(o: SimOrder, state: string): Promise<void> {
    const previous = o.lastChange;
    const lastState = o.status;
    o.status = state;
    o.lastChange = stamp();
    await hook.notify({
      Domain: 'Fulfillment',
      OrderId: o.orderId,
      State: state,
      LastState: lastState,
      LastChange: previous,
      CurrentChange: o.lastChange,
      Origin: { Account: account, Key: appKey },
    });
  }

  /** A placed, paid order (its transaction approved for the whole value, in cents). */
  async function createOrder(p: { orderId?: string; value: number; currency?: string; customerId?: string }): Promise<SimOrder> {
    const t = stamp();
    const o: SimOrder = {
      orderId: p.orderId ?? `${Math.floor(1e12 + Math.random() * 9e12)}-01`,
      status: 'order-created',
      value: p.value,
      currency: p.currency ?? 'EUR',
      creationDate: t,
      lastChange: t,
      userProfileId: p.customerId ?? newId('usr'),
      packages: [],
      transactionId: newId('TID').replace(/_/g, '').toUpperCase(),
      interactions: [],
    };
    orders.set(o.orderId, o);
    refunds.set(o.transactionId, []);
    await changed(o, 'ready-for-handling');
    return o;
  }

  /** POST …/invoice: an Output invoice invoices the order; an Input invoice makes VTEX Payments refund its value. */
  async function invoice(orderId: string, p: { type: 'Output' | 'Input'; invoiceNumber: string; invoiceValue: number }): Promise<SimOrder | null> {
    const o = orders.get(orderId);
    if (!o) return null;
    const issuanceDate = stamp();
    const restitutions = p.type === 'Input' ? { Refund: { value: p.invoiceValue, giftCardData: null, items: [] } } : {};
    o.packages.push({ ...p, issuanceDate, restitutions });
    if (p.type === 'Input') {
      const forget = faults.forgetRefundOf.indexOf(p.invoiceNumber);
      if (forget >= 0) faults.forgetRefundOf.splice(forget, 1);
      else if (faults.forgetRefundNext > 0) faults.forgetRefundNext--;
      else {
        const id = newId('rfd').replace(/_/g, '').toUpperCase();
        refunds.get(o.transactionId)!.push({ id, value: p.invoiceValue, status: 'Finished', date: stamp() });
        refundedInvoice.set(id, p.invoiceNumber);
      }
    }
    await changed(o, 'invoiced');
    return o;
  }

  const orderJson = (o: SimOrder) => ({
    orderId: o.orderId,
    sequence: o.orderId.slice(-8, -3),
    status: o.status,
    statusDescription: o.status,
    value: o.value,
    creationDate: o.creationDate,
    lastChange: o.lastChange,
    totals: [
      { id: 'Items', name: 'Total dos Itens', value: o.value },
      { id: 'Discounts', name: 'Total dos Descontos', value: 0 },
      { id: 'Shipping', name: 'Total do Frete', value: 0 },
      { id: 'Tax', name: 'Total da Taxa', value: 0 },
    ],
    items: [],
    clientProfileData: { email: `${o.userProfileId}@example.invalid`, userProfileId: o.userProfileId },
    storePreferencesData: { countryCode: 'DEU', currencyCode: o.currency, currencyLocale: 1031, currencySymbol: '€', currencyFormatInfo: { CurrencyDecimalDigits: 2 } },
    packageAttachment: { packages: o.packages.map((p) => ({ ...p, invoiceUrl: null, invoiceKey: null, courier: null, trackingNumber: null, items: [] })) },
    paymentData: {
      transactions: [
        {
          isActive: true,
          transactionId: o.transactionId,
          merchantName: account.toUpperCase(),
          payments: [{ id: newPaymentId(o), paymentSystem: '2', paymentSystemName: 'Visa', value: o.value, group: 'creditCard', tid: o.transactionId }],
        },
      ],
    },
    origin: 'Marketplace',
    hostname: account,
  });
  const newPaymentId = (o: SimOrder) => o.transactionId.slice(0, 16).padEnd(16, '0');

  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.get(
    '/_state',
    (_req, res) => void res.json({ orders: [...orders.values()], refunds: Object.fromEntries(refunds), faults, deliveries: hook.deliveries, feed: hook.feedSize }),
  );

  // AppKey/AppToken on every API call; then the throttling budget (VTEX: 429 with Retry-After).
  app.use('/api', (req: Request, res: Response, next) => {
    const send = (status: number, body: unknown) => {
      calls.push({ method: req.method, path: req.path, status });
      res.status(status).json(body);
    };
    if (req.get('x-vtex-api-appkey') !== appKey || req.get('x-vtex-api-apptoken') !== appToken) return send(401, { error: { code: '1', message: 'Unauthorized' } });
    if (faults.throttleLimit > 0) {
      const now = clock().getTime();
      if (now - window.start >= faults.throttleWindowMs) window = { start: now, used: 0 };
      if (++window.used > faults.throttleLimit) {
        res.set('Retry-After', String(Math.max(1, Math.ceil((window.start + faults.throttleWindowMs - now) / 1000))));
        return send(429, { error: { code: 'TooManyRequests', message: 'Too many requests' } });
      }
    }
    if (faults.failNext > 0) {
      faults.failNext--;
      return send(503, { error: { code: 'ServiceUnavailable', message: 'Service temporarily unavailable' } });
    }
    calls.push({ method: req.method, path: req.path, status: 200 });
    if (faults.hangNext > 0) {
      faults.hangNext--;
      // Performed now, answered late: the client has given up by then.
      const json = res.json.bind(res);
      res.json = (body: unknown) => (setTimeout(() => json(body), faults.hangMs), res);
    }
    next();
  });
  const order = (req: Request) => orders.get(String(req.params.orderId));
  const notFound = (res: Response) => void res.status(404).json({ error: { code: '1', message: 'Order Not Found' } });

  app.get('/api/oms/pvt/orders/:orderId', (req, res) => {
    const o = order(req);
    if (!o) return notFound(res);
    res.json(orderJson(o));
  });
  app.post('/api/oms/pvt/orders/:orderId/invoice', async (req, res) => {
    const b = req.body as Record<string, unknown>;
    const value = Number(b.invoiceValue);
    if ((b.type !== 'Output' && b.type !== 'Input') || typeof b.invoiceNumber !== 'string' || !Number.isSafeInteger(value) || value <= 0)
      return void res.status(400).json({ error: { code: '1', message: 'type (Output|Input), invoiceNumber and invoiceValue (cents) are required' } });
    const o = await invoice(String(req.params.orderId), { type: b.type, invoiceNumber: b.invoiceNumber, invoiceValue: value });
    if (!o) return notFound(res);
    res.json({ date: o.lastChange, orderId: o.orderId, receipt: newId('rcpt') });
  });
  app.post('/api/oms/pvt/orders/:orderId/interactions', (req, res) => {
    const o = order(req);
    if (!o) return notFound(res);
    const b = req.body as { source?: unknown; message?: unknown };
    if (typeof b.source !== 'string' || typeof b.message !== 'string') return void res.status(400).json({ error: { code: '1', message: 'source and message are required' } });
    o.interactions.push({ source: b.source, message: b.message, date: stamp() });
    res.json({ date: o.lastChange, orderId: o.orderId, receipt: newId('rcpt') });
  });
  app.get('/api/orders/feed', (req, res) => void res.json(hook.readFeed(Math.min(10, Math.max(1, Number(req.query.maxlot ?? 10) || 10)))));
  app.post('/api/orders/feed', (req, res) => {
    const handles = (req.body as { handles?: unknown }).handles;
    if (!Array.isArray(handles) || !handles.every((h) => typeof h === 'string')) return void res.status(400).json({ error: { code: '1', message: 'handles must be a list' } });
    hook.commit(handles as string[]);
    res.status(204).end();
  });

  const txOf = (tid: string) => [...orders.values()].find((o) => o.transactionId === tid);
  app.get('/api/pvt/transactions/:tid', (req, res) => {
    const o = txOf(String(req.params.tid));
    if (!o) return void res.status(404).json({ error: { code: '1', message: 'Transaction not found' } });
    const href = (s: string) => ({ href: `/api/pvt/transactions/${o.transactionId}/${s}` });
    const list = refunds.get(o.transactionId)!;
    res.json({
      id: o.transactionId,
      transactionId: o.transactionId,
      referenceKey: o.orderId.split('-')[0],
      payments: href('payments'),
      refunds: href('refunds'),
      settlements: href('settlements'),
      totalRefunds: list.reduce((s, r) => s + r.value, 0),
      status: 'Finished',
      value: o.value,
      startDate: o.creationDate,
    });
  });
  app.get('/api/pvt/transactions/:tid/payments', (req, res) => {
    const o = txOf(String(req.params.tid));
    if (!o) return void res.status(404).json({ error: { code: '1', message: 'Transaction not found' } });
    res.json(orderJson(o).paymentData.transactions[0]!.payments);
  });
  app.get('/api/pvt/transactions/:tid/refunds', (req, res) => {
    const list = refunds.get(String(req.params.tid));
    if (!list) return void res.status(404).json({ error: { code: '1', message: 'Transaction not found' } });
    res.json(list);
  });

  return {
    account,
    appKey,
    appToken,
    hook,
    faults,
    calls,
    orders,
    createOrder,
    invoice,
    refundsOf: (orderId: string) => refunds.get(orders.get(orderId)?.transactionId ?? '') ?? [],
    /** The return a refund answered (null: not one VTEX made for a return). */
    invoiceOfRefund: (refundId: string) => refundedInvoice.get(refundId) ?? null,
    start: (port?: number): Promise<Served> => listen(app, port),
  };
}

export type VtexSimulator = ReturnType<typeof createVtexSimulator>;
