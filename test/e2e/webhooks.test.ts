import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sign } from '../../src/webhooks/webhook.service';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder } from '../support/drive';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const secret = () => t.config.webhookSecrets.OMS;
const count = async (table: string) => Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

function post(source: string, raw: string | Buffer, opts: { secret?: string | null; eventId?: string; contentType?: string } = {}) {
  const req = t.http.post(`/webhooks/${source}`).set('Content-Type', opts.contentType ?? 'application/json');
  if (opts.secret !== null) req.set('X-Signature', sign(opts.secret ?? secret(), raw));
  if (opts.eventId) req.set('X-Event-Id', opts.eventId);
  return req.send(raw);
}

function orderEvent(id: string, version: number, status: string, eventId: string = randomUUID()) {
  return JSON.stringify({
    id: eventId,
    type: 'order.upserted',
    occurredAt: new Date().toISOString(),
    data: { order: { id, status, currency: 'EUR', total: '2500', customerId: 'c-1', createdAt: '2026-11-01T10:00:00.000Z', version } },
  });
}

describe('signed webhooks', () => {
  test('a bad or missing signature is 401 and nothing is stored', async () => {
    const before = await count('webhook_event');
    const body = orderEvent('wh-1', 1, 'CREATED');
    assert.equal((await post('oms', body, { secret: 'wrong-secret-0123456789' })).status, 401);
    assert.equal((await post('oms', body, { secret: null })).status, 401);
    // signed with another system's secret
    assert.equal((await post('oms', body, { secret: t.config.webhookSecrets.PSP })).status, 401);
    // signature over different bytes (body altered after signing)
    const res = await t.http.post('/webhooks/oms').set('Content-Type', 'application/json').set('X-Signature', sign(secret(), body)).send(body.replace('CREATED', 'COMPLETED'));
    assert.equal(res.status, 401);
    assert.equal(await count('webhook_event'), before);
    assert.equal(await count("oms_order WHERE id = 'wh-1'"), 0);
  });

  test('a malformed body is 400 with a clear message, and the raw event is kept for inspection', async () => {
    const raw = '{"id": "evt-broken", "type": "order.upserted", ';
    const res = await post('oms', raw);
    assert.equal(res.status, 400);
    assert.match(res.body.error, /not valid JSON/);
    const [row] = await t.dataSource.query("SELECT status, payload, error FROM webhook_event WHERE source = 'OMS' AND event_id LIKE 'sha256:%'");
    assert.equal(row.status, 'REJECTED');
    assert.equal(row.payload, raw);

    const bad = JSON.stringify({
      id: 'evt-bad-amount',
      type: 'order.upserted',
      data: { order: { id: 'wh-2', status: 'CREATED', currency: 'EUR', total: '12.50', createdAt: '2026-11-01T10:00:00Z', version: 1 } },
    });
    const r2 = await post('oms', bad);
    assert.equal(r2.status, 400);
    assert.match(r2.body.error, /data\.order\.total/);
    assert.equal(await count("oms_order WHERE id = 'wh-2'"), 0);
    const [kept] = await t.dataSource.query("SELECT status, payload FROM webhook_event WHERE event_id = 'evt-bad-amount'");
    assert.deepEqual(kept, { status: 'REJECTED', payload: bad });
  });

  test('replays are deduplicated by (source, event id) and counted', async () => {
    const body = orderEvent('wh-3', 1, 'CREATED', 'evt-replay');
    const first = await post('oms', body);
    assert.equal(first.status, 200);
    assert.equal(first.body.duplicate, false);
    const again = await post('oms', body);
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    const [row] = await t.dataSource.query("SELECT replay_count, status FROM webhook_event WHERE event_id = 'evt-replay'");
    assert.deepEqual(row, { replay_count: 1, status: 'PROCESSED' });
    // the same event id from another source is a different event
    const psp = await post('psp', JSON.stringify({ id: 'evt-replay', type: 'unknown.thing', data: {} }), { secret: t.config.webhookSecrets.PSP });
    assert.equal(psp.body.duplicate, false);
    assert.equal(psp.body.result, 'ignored');
  });

  test('an older event never overwrites newer state (out-of-order delivery)', async () => {
    await post('oms', orderEvent('wh-4', 3, 'SHIPPED'));
    await post('oms', orderEvent('wh-4', 2, 'CONFIRMED'));
    await post('oms', orderEvent('wh-4', 1, 'CREATED'));
    const r = await t.gql('SUPPORT', '{ order(id: "wh-4") { status } }');
    assert.equal(r.data.order.status, 'SHIPPED');
    await post('oms', orderEvent('wh-4', 4, 'COMPLETED'));
    assert.equal((await t.gql('SUPPORT', '{ order(id: "wh-4") { status } }')).data.order.status, 'COMPLETED');
  });

  test('an event id longer than 191 characters is refused with 400 and nothing is stored (never cut to a prefix)', async () => {
    const before = await count('webhook_event');
    const prefix = `evt-long-${'x'.repeat(182)}`; // 191 characters
    assert.equal(prefix.length, 191);
    // A 191-character id is accepted and applied.
    const ok = await post('oms', orderEvent('wh-long-1', 1, 'CREATED', prefix));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.duplicate, false);
    // A longer id that shares those 191 characters is another event: refused, not answered as a duplicate.
    const longer = await post('oms', orderEvent('wh-long-2', 1, 'CREATED', `${prefix}-2`));
    assert.equal(longer.status, 400);
    assert.match(longer.body.error, /event id is longer than 191 characters/);
    // The same through the X-Event-Id header.
    const header = await post('oms', orderEvent('wh-long-3', 1, 'CREATED'), { eventId: 'h'.repeat(192) });
    assert.equal(header.status, 400);
    assert.match(header.body.error, /event id is longer than 191 characters/);
    assert.equal(await count('webhook_event'), before + 1);
    assert.equal(await count("oms_order WHERE id IN ('wh-long-2', 'wh-long-3')"), 0);
  });

  test('unknown sources are 404; unknown event types are stored and ignored', async () => {
    assert.equal((await post('crm', '{}')).status, 404);
    const r = await post('erp', JSON.stringify({ id: 'evt-new-type', type: 'ledger.closed', data: {} }), { secret: t.config.webhookSecrets.ERP });
    assert.equal(r.status, 200);
    assert.equal(r.body.result, 'ignored');
  });

  test('duplicated and reversed deliveries from the simulators leave the right state', async () => {
    await call(t.sims.urls.oms, 'POST', '/_faults', { webhooks: { mode: 'hold', duplicate: true, reverse: true } });
    const order = await call(t.sims.urls.oms, 'POST', '/orders', { currency: 'EUR', total: '4200', status: 'CREATED' });
    const id = order.id ?? order.order.id;
    await call(t.sims.urls.oms, 'PATCH', `/orders/${id}`, { status: 'CONFIRMED' });
    await call(t.sims.urls.oms, 'PATCH', `/orders/${id}`, { status: 'SHIPPED' });
    await call(t.sims.urls.oms, 'POST', `/orders/${id}/invoices`, { kind: 'OUTPUT', amount: '4200' });
    await call(t.sims.urls.oms, 'POST', '/_webhooks/flush');
    await call(t.sims.urls.oms, 'POST', '/_faults', { webhooks: { mode: 'immediate', duplicate: false, reverse: false } });
    const r = await t.gql('SUPPORT', 'query($id: ID!) { order(id: $id) { status invoices { kind amount { amount } } interactions { kind } } }', { id });
    assert.equal(r.data.order.status, 'SHIPPED');
    assert.deepEqual(r.data.order.invoices, [{ kind: 'OUTPUT', amount: { amount: '42.00' } }]);
    const kinds = r.data.order.interactions.map((i: any) => i.kind).sort();
    assert.deepEqual(kinds, ['Invoice Notification', 'Order Status', 'Order Status']);
  });

  test('PSP and ERP events build payments, captures, settlements and postings', async () => {
    const o = await paidOrder(t.sims, { total: '3000' });
    const s = await call(t.sims.urls.psp, 'POST', '/settlements', { extraLines: [{ kind: 'FEE', pspReference: 'fee-1', orderId: null, gross: '-15' }] });
    const settlementId = s.settlement?.id ?? s.id;
    await call(t.sims.urls.erp, 'POST', '/journal-entries', { kind: 'CAPTURE', externalRef: o.captureId, orderId: o.orderId, amount: '3000', currency: 'EUR' });
    const r = await t.gql(
      'FINANCE',
      `query($id: ID!, $s: ID!) {
      order(id: $id) { payments { status authorized { amount } } captures { amount { amount } } settlementLines { kind settlementId } erpPostings { kind externalRef status } }
      settlement(id: $s) { id lines { kind orderId gross { amount } } } }`,
      { id: o.orderId, s: settlementId },
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.deepEqual(r.data.order.payments, [{ status: 'COMPLETED', authorized: { amount: '30.00' } }]);
    assert.deepEqual(r.data.order.erpPostings, [{ kind: 'CAPTURE', externalRef: o.captureId, status: 'POSTED' }]);
    assert.ok(r.data.settlement.lines.some((l: any) => l.kind === 'FEE' && l.orderId === null && l.gross.amount === '-0.15'));
  });
});

describe('webhookEvents query', () => {
  test('lists received events newest first, with rejected ones and their reason; support may not read it', async () => {
    const r = await t.gql('ANALYST', '{ webhookEvents(first: 100, filter: { status: [REJECTED] }) { nodes { source eventId status error payload } } }');
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const ids = r.data.webhookEvents.nodes.map((n: any) => n.eventId);
    assert.ok(ids.includes('evt-bad-amount'));
    assert.ok(r.data.webhookEvents.nodes.every((n: any) => n.status === 'REJECTED' && n.error));
    const page = await t.gql('ANALYST', '{ webhookEvents(first: 2) { pageInfo { hasNextPage endCursor } nodes { id } } }');
    const next = await t.gql('ANALYST', 'query($a: String) { webhookEvents(first: 2, after: $a) { nodes { id } } }', { a: page.data.webhookEvents.pageInfo.endCursor });
    assert.ok(Number(next.data.webhookEvents.nodes[0].id) < Number(page.data.webhookEvents.nodes[1].id));
    const denied = await t.gql('SUPPORT', '{ webhookEvents(first: 1) { nodes { id } } }');
    assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});
