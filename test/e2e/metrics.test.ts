/** /metrics and the request log as an on-call engineer reads them: bounded route labels, the money's state from the database, who did what. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { RequestContext } from '../../src/db/context';
import { withTransaction } from '../../src/db/transaction';
import { createMetrics, observeUpstreams } from '../../src/metrics';
import { drainOutbox, enqueue, registerOutboxHandler, runOutboxRound } from '../../src/outbox';
import { HttpClient, UpstreamError } from '../../src/shared/http-client';
import { paidOrder, returnInvoice } from '../support/drive';
import { refundInvoice } from '../support/refunds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

let t: TestApp;
const lines: string[] = [];
before(async () => {
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
  t = await createTestApp({ logger, env: { AUTO_REFUND_INPUT_INVOICES: 'false', OUTBOX_MAX_ATTEMPTS: '1' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

async function scrape(): Promise<string> {
  const r = await t.http.get('/metrics');
  assert.equal(r.status, 200);
  return r.text;
}

/** The value of one series, or undefined when it is absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inBraces = /\{([^}]*)\}/.exec(line)?.[1] ?? '';
    if (want.every((w) => inBraces.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('GraphQL, webhooks and unknown paths are a fixed set of route labels', async () => {
  await t.gql('SUPPORT', '{ __typename }');
  for (let i = 0; i < 5; i++) await t.http.get(`/scanner-${i}/wp-login.php`);
  const text = await scrape();
  assert.ok((value(text, 'moneygraph_http_requests_total', { route: '/graphql', status: '200' }) ?? 0) >= 1, 'GraphQL POSTs are /graphql, not "/"');
  assert.equal(value(text, 'moneygraph_http_requests_total', { route: 'other', status: '404' }), 5);
  assert.doesNotMatch(text, /scanner-/);
});

test('after a refund, a webhook and a dead letter, the gauges show the ledger, the events and the outbox', async () => {
  const o = await paidOrder(t.sims, { total: '5000' });
  const inv = await returnInvoice(t.sims, o.orderId, '2000');
  const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
  assert.equal(r.data.refundInvoice.refund.status, 'SUCCEEDED', JSON.stringify(r));
  await drainOutbox(t.app.services);
  // A delivery that fails with OUTBOX_MAX_ATTEMPTS=1 is a dead letter at once.
  registerOutboxHandler(t.app.services, 'test.metrics-fail', async () => {
    throw new Error('upstream says no');
  });
  await withTransaction(RequestContext.system(t.app.services), (tx) => enqueue(tx, 'test.metrics-fail', 'test:metrics-fail', null, {}));
  await runOutboxRound(t.app.services);

  const text = await scrape();
  assert.ok((value(text, 'moneygraph_refunds', { status: 'SUCCEEDED', error_code: '' }) ?? 0) >= 1);
  assert.equal(value(text, 'moneygraph_refunds_in_flight_oldest_seconds'), 0, 'nothing in flight');
  assert.ok((value(text, 'moneygraph_webhook_events', { source: 'OMS', status: 'PROCESSED' }) ?? 0) >= 2, 'the order and invoice webhooks');
  assert.ok((value(text, 'moneygraph_webhook_events', { source: 'PSP', status: 'PROCESSED' }) ?? 0) >= 1);
  assert.equal(value(text, 'moneygraph_outbox_messages', { topic: 'test.metrics-fail', status: 'DEAD' }), 1);
  assert.ok((value(text, 'moneygraph_outbox_oldest_undelivered_seconds', { topic: 'test.metrics-fail' }) ?? -1) >= 0);
  assert.equal(value(text, 'moneygraph_outbox_messages', { topic: 'erp.post', status: 'PENDING' }), undefined, "the refund's effects were delivered");
  assert.match(text, /# TYPE moneygraph_money_exceptions_open gauge/);
});

test('after a refund, the upstream calls, the circuit breakers, the GraphQL operations and the pool are in the metrics', async () => {
  const o = await paidOrder(t.sims, { total: '4000' });
  const inv = await returnInvoice(t.sims, o.orderId, '1500');
  const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
  assert.equal(r.data.refundInvoice.refund.status, 'SUCCEEDED', JSON.stringify(r));
  await drainOutbox(t.app.services);
  // A refusal: SUPPORT may not refund.
  const refused = await t.gql('SUPPORT', 'mutation { refundInvoice(input: { orderId: "x", invoiceId: "y", reason: "RETURN", idempotencyKey: "k-metrics" }) { refund { id } } }');
  assert.equal(refused.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(refused));

  const text = await scrape();
  assert.ok((value(text, 'moneygraph_upstream_request_duration_seconds_count', { system: 'psp', method: 'POST', outcome: 'ok' }) ?? 0) >= 1, 'the refund at the PSP');
  assert.ok((value(text, 'moneygraph_upstream_request_duration_seconds_count', { system: 'erp', method: 'POST', outcome: 'ok' }) ?? 0) >= 1, 'the posting at the ERP');
  for (const system of ['oms', 'psp', 'erp']) {
    assert.equal(value(text, 'moneygraph_upstream_circuit_state', { system, state: 'closed' }), 1, system);
    assert.equal(value(text, 'moneygraph_upstream_circuit_state', { system, state: 'open' }), 0, system);
  }
  assert.ok((value(text, 'moneygraph_graphql_operation_duration_seconds_count', { type: 'mutation', field: 'refundInvoice' }) ?? 0) >= 2);
  assert.ok((value(text, 'moneygraph_graphql_errors_total', { code: 'FORBIDDEN' }) ?? 0) >= 1);
  assert.ok((value(text, 'moneygraph_db_pool_connections', { state: 'open' }) ?? 0) >= 1, 'the pool has connections');
  assert.ok((value(text, 'moneygraph_db_pool_connections', { state: 'limit' }) ?? 0) >= 1);
  assert.equal(value(text, 'moneygraph_db_pool_connections', { state: 'waiting' }), 0);
});

test('an upstream that stops answering: its attempts by outcome, then the open circuit', async () => {
  const metrics = createMetrics();
  const dead = new HttpClient('erp', 'http://127.0.0.1:9', 500, { breakerThreshold: 2, halfOpenAfterMs: 60_000 });
  observeUpstreams(metrics, [dead]);
  const ctx = RequestContext.system(t.app.services);
  for (let i = 0; i < 3; i++) await assert.rejects(dead.request(ctx, 'POST', '/postings', {}), UpstreamError);
  const text = await metrics.registry.metrics();
  assert.equal(value(text, 'moneygraph_upstream_request_duration_seconds_count', { system: 'erp', method: 'POST', outcome: 'network' }), 2);
  assert.equal(value(text, 'moneygraph_upstream_request_duration_seconds_count', { system: 'erp', method: 'POST', outcome: 'circuit_open' }), 1);
  assert.equal(value(text, 'moneygraph_upstream_circuit_state', { system: 'erp', state: 'open' }), 1);
  assert.equal(value(text, 'moneygraph_upstream_circuit_state', { system: 'erp', state: 'closed' }), 0);
});

test("a GraphQL request's log line names the operation, the actor and the query cost; a refund's names the refund", async () => {
  const o = await paidOrder(t.sims, { total: '3000' });
  const inv = await returnInvoice(t.sims, o.orderId, '1000');
  lines.length = 0;
  const r = await refundInvoice(t, { orderId: o.orderId, invoiceId: inv });
  const refund = r.data.refundInvoice.refund;
  await t.gql('SUPPORT', 'query SupportLookup($id: ID!) { order(id: $id) { id } }', { id: o.orderId });
  const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.path === '/graphql');
  const [refundLine, readLine] = logged;
  assert.equal(refundLine.operation, 'mutation refundInvoice');
  assert.deepEqual(refundLine.actor, { role: 'ADMIN', subject: 'admin-demo' });
  assert.equal(refundLine.refundId, refund.id);
  assert.equal(refundLine.merchantTransactionId, refund.merchantTransactionId);
  assert.equal(typeof refundLine.cost, 'number');
  assert.equal(readLine.operation, 'query order');
  assert.equal(readLine.operationName, 'SupportLookup');
  assert.deepEqual(readLine.actor, { role: 'SUPPORT', subject: 'support-demo' });
  assert.ok(readLine.cost > 0);
});
