"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.call = call;
exports.paidOrder = paidOrder;
exports.returnInvoice = returnInvoice;
async function call(base, method, path, body, headers = {}) {
    const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : {};
    if (!res.ok)
        throw Object.assign(new Error(`${method} ${path} → ${res.status}: ${text}`), { status: res.status, body: json });
    return json;
}
/** An order with a sale invoice and a payment, captured in full unless told otherwise. */
async function paidOrder(sims, o = {}) {
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
    const orderId = order.id ?? order.order?.id;
    await call(sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { kind: 'OUTPUT', amount: total });
    const payment = await call(sims.urls.psp, 'POST', '/payments', {
        orderId,
        amount: total,
        currency,
        method: o.method ?? 'CARD',
        customerId: o.customerId ?? 'cust-0001',
    });
    const paymentId = payment.id ?? payment.payment?.id;
    let captureId;
    if (o.capture !== false) {
        const cap = await call(sims.urls.psp, 'POST', `/payments/${paymentId}/captures`, o.capture ? { amount: o.capture } : {});
        captureId = cap.id ?? cap.capture?.id;
    }
    return { orderId, paymentId, captureId };
}
async function returnInvoice(sims, orderId, amount, number) {
    const inv = await call(sims.urls.oms, 'POST', `/orders/${orderId}/invoices`, { kind: 'INPUT', amount, number });
    return inv.number ?? inv.invoice?.number;
}
//# sourceMappingURL=drive.js.map