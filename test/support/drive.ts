/** Builders that create data the way production does: through the simulators' HTTP APIs. */
import { Simulators } from '../../src/simulators';

export async function call<T = any>(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (!res.ok) throw Object.assign(new Error(`${method} ${path} → ${res.status}: ${text}`), { status: res.status, body: json });
  return json as T;
}

export interface PaidOrder {
  orderId: string;
  paymentId: string;
  captureId?: string;
}

/** An order with a sale invoice and a payment, captured in full unless told otherwise. */
export async function paidOrder(
  sims: Simulators,
  o: { id?: string; currency?: string; total?: string; capture?: string | false; customerId?: string; method?: string; createdAt?: string } = {},
): Promise<PaidOrder> {
  const currency = o.currency ?? 'EUR';
  const total = o.total ?? '10000';
  const order = await call(sims.urls.oms, 'POST', '/orders', {
    id: o.id,
    currency,
    total,
    customerId: o.customerId ?? 'cust-0001',
    status: 'CONFIRMED',
    createdAt: o.createdAt,
  });
  const orderId: string = order.id ?? order.order?.id;
  await call(sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { kind: 'OUTPUT', amount: total });
  const payment = await call(sims.urls.psp, 'POST', '/payments', {
    orderId,
    amount: total,
    currency,
    method: o.method ?? 'CARD',
    customerId: o.customerId ?? 'cust-0001',
  });
  const paymentId: string = payment.id ?? payment.payment?.id;
  let captureId: string | undefined;
  if (o.capture !== false) {
    const cap = await call(sims.urls.psp, 'POST', `/payments/${paymentId}/captures`, o.capture ? { amount: o.capture } : {});
    captureId = cap.id ?? cap.capture?.id;
  }
  return { orderId, paymentId, captureId };
}

export async function returnInvoice(sims: Simulators, orderId: string, amount: string, number?: string): Promise<string> {
  const inv = await call(sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { kind: 'INPUT', amount, number });
  return inv.number ?? inv.invoice?.number;
}
