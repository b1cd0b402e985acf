/**
 * Demo data, created the way production creates it: through the simulators' HTTP APIs, which
 * notify moneygraph by signed webhooks. Return invoices are refunded by moneygraph itself
 * (auto-refund of INPUT invoices), so refunds, invoiceData and ERP postings are real outcomes.
 */
import { Simulators } from '../src/simulators';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulators' JSON answers, read field by field by this script
async function call<T = any>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export interface DemoSummary {
  orders: string[];
  disputedOrder: string;
  authorizedOnlyOrder: string;
  partialCaptureOrders: string[];
  returnOrders: string[];
  twoReturnsOrder: string;
  orphanPayment: string;
  rejectedOrder: string;
  missingErpCapture: string;
  duplicatedErpCapture: string;
  missingErpInvoiceOrder: string;
  rejectedErpCapture: string;
}

const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP', 'JPY'];

/** Minor-unit amounts as digit strings; the demo never does float arithmetic on money. */
const pct = (minor: bigint, p: bigint) => ((minor * p) / 100n).toString();

export async function seedDemo(sims: Simulators, count = 60, onProgress?: (done: number) => void): Promise<DemoSummary> {
  const { oms, psp, erp } = sims.urls;
  const s: Partial<DemoSummary> & { orders: string[]; partialCaptureOrders: string[]; returnOrders: string[] } = {
    orders: [],
    partialCaptureOrders: [],
    returnOrders: [],
  };
  const base = Date.UTC(2026, 10, 1, 9, 0, 0);
  for (let i = 0; i < count; i++) {
    const currency = CURRENCIES[i % CURRENCIES.length];
    const total = BigInt(currency === 'JPY' ? 1200 + i * 150 : 2500 + i * 731);
    const createdAt = new Date(base + i * 3_600_000).toISOString();
    const id = `demo-${String(i + 1).padStart(3, '0')}`;
    const customerId = `cust-${String(1000 + (i % 17))}`;
    await call(oms, 'POST', '/orders', { id, currency, total: total.toString(), customerId, status: 'CONFIRMED', createdAt });
    await call(oms, 'POST', `/orders/${id}/invoices`, { number: `${id}-S1`, kind: 'OUTPUT', amount: total.toString(), issuedAt: createdAt });
    const method = i % 11 === 5 ? 'WALLET' : 'CARD';
    const pay = await call(psp, 'POST', '/payments', {
      id: `pay-${id}`,
      orderId: id,
      amount: total.toString(),
      currency,
      method,
      paymentMethodId: `pm-${customerId}-${method.toLowerCase()}`,
      customerId,
      createdAt,
    });
    const paymentId: string = pay.id ?? pay.payment?.id;
    s.orders.push(id);

    if (i === 16) {
      s.authorizedOnlyOrder = id; // authorized, never captured
    } else if (i % 7 === 3) {
      await call(psp, 'POST', `/payments/${paymentId}/captures`, { id: `cap-${id}-1`, amount: pct(total, 60n) });
      s.partialCaptureOrders.push(id);
      if (i % 14 === 3) await call(psp, 'POST', `/payments/${paymentId}/captures`, { id: `cap-${id}-2`, amount: pct(total, 20n) });
    } else {
      await call(psp, 'POST', `/payments/${paymentId}/captures`, { id: `cap-${id}-1` });
    }
    if (i === 12) {
      await call(psp, 'POST', `/payments/${paymentId}/dispute`, { disputed: true });
      s.disputedOrder = id;
    }
    if (i % 4 === 1 || i === 12) {
      // A return of part of the order: moneygraph refunds it automatically.
      await call(oms, 'POST', `/orders/${id}/invoices`, { number: `${id}-R1`, kind: 'INPUT', amount: pct(total, 30n) });
      s.returnOrders.push(id);
      if (i === 9) {
        await call(oms, 'POST', `/orders/${id}/invoices`, { number: `${id}-R2`, kind: 'INPUT', amount: pct(total, 20n) });
        s.twoReturnsOrder = id;
      }
    }
    if (i % 5 === 0) await call(oms, 'PATCH', `/orders/${id}`, { status: 'SHIPPED' });
    if (i % 10 === 0) await call(oms, 'PATCH', `/orders/${id}`, { status: 'COMPLETED' });
    onProgress?.(i + 1);
  }

  // The commerce → ERP integration posts sale invoices and captures: one sale invoice it missed,
  // one capture it missed, one it posted twice (the ERP was not idempotent that day), and one the
  // ERP rejected.
  s.missingErpInvoiceOrder = s.orders[6];
  const omsState = await call(oms, 'GET', '/_state');
  const invoices = Object.values(omsState.invoices ?? {}) as { number: string; orderId: string; kind: string; amount: string; currency: string }[];
  for (const inv of invoices) {
    if (inv.kind !== 'OUTPUT' || inv.orderId === s.missingErpInvoiceOrder) continue;
    await call(erp, 'POST', '/journal-entries', { kind: 'INVOICE', externalRef: inv.number, orderId: inv.orderId, amount: inv.amount, currency: inv.currency });
  }
  const st = await call(psp, 'GET', '/_state');
  const captures = Object.values(st.captures ?? {}) as { id: string; orderId: string | null; amount: string; currency: string }[];
  s.missingErpCapture = captures[4]?.id;
  s.duplicatedErpCapture = captures[7]?.id;
  s.rejectedErpCapture = captures[9]?.id;
  for (const c of captures) {
    if (c.id === s.missingErpCapture) continue;
    if (c.id === s.rejectedErpCapture) await call(erp, 'POST', '/_faults', { rejectNext: 1 });
    if (c.id === s.duplicatedErpCapture) await call(erp, 'POST', '/_faults', { nonIdempotent: true });
    const entry = { kind: 'CAPTURE', externalRef: c.id, orderId: c.orderId, amount: c.amount, currency: c.currency };
    await call(erp, 'POST', '/journal-entries', entry);
    if (c.id === s.duplicatedErpCapture) {
      await call(erp, 'POST', '/journal-entries', entry);
      await call(erp, 'POST', '/_faults', { nonIdempotent: false });
    }
  }

  // Money captured for an order the OMS never created, and an order the OMS rejected.
  const orphan = await call(psp, 'POST', '/payments', { id: 'pay-orphan-1', orderId: 'demo-never-created', amount: '4999', currency: 'EUR', customerId: 'cust-2000' });
  await call(psp, 'POST', `/payments/${orphan.id ?? orphan.payment?.id}/captures`, { id: 'cap-orphan-1' });
  s.orphanPayment = 'pay-orphan-1';
  await call(oms, 'POST', '/_faults', { rejectOrders: true });
  await call(oms, 'POST', '/orders', { id: 'demo-rejected', currency: 'EUR', total: '7300', customerId: 'cust-2001' });
  await call(oms, 'POST', '/_faults', { rejectOrders: false });
  const rej = await call(psp, 'POST', '/payments', { id: 'pay-demo-rejected', orderId: 'demo-rejected', amount: '7300', currency: 'EUR', customerId: 'cust-2001' });
  await call(psp, 'POST', `/payments/${rej.id ?? rej.payment?.id}/captures`, { id: 'cap-demo-rejected' });
  s.rejectedOrder = 'demo-rejected';

  return s as DemoSummary;
}

/** One settlement batch per currency, with a fee line that no order claims. Run after refunds settle. */
export async function closeDemoSettlement(sims: Simulators): Promise<string> {
  const settled = await call(sims.urls.psp, 'POST', '/settlements', {
    id: 'stl-demo-1',
    extraLines: [{ kind: 'FEE', pspReference: 'fee-monthly-2026-11', orderId: null, gross: '-1250', currency: 'EUR' }],
  });
  return (settled.settlements ?? [settled.settlement]).map((x: { id: string }) => x.id).find((x: string) => x.includes('EUR')) ?? 'stl-demo-1';
}
