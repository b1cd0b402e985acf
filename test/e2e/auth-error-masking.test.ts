/**
 * Error masking in production configuration: an unexpected failure (here a table dropped under
 * the running service) reaches the client as INTERNAL_SERVER_ERROR with a request id and
 * nothing else, and the full error is logged under that request id.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder } from '../support/drive';
import { DEMO_API_KEYS } from '../../src/config';

const lines: string[] = [];
let t: TestApp;
let orderId: string;

before(async () => {
  const logger = pino({ level: 'info', serializers: { err: pino.stdSerializers.err } }, { write: (s: string) => void lines.push(s) });
  t = await createTestApp({ logger, env: { NODE_ENV: 'production', API_KEYS: DEMO_API_KEYS, JWT_SECRET: 'prod-like-secret-0123456789abcdef0123' } });
  orderId = (await paidOrder(t.sims)).orderId;
  await t.dataSource.query('DROP TABLE oms_invoice');
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

test('a root field that fails unexpectedly: INTERNAL_SERVER_ERROR + request id, nothing else; logged in full', async () => {
  const res = await t.http
    .post('/graphql')
    .set('Content-Type', 'application/json')
    .set('Authorization', 'Bearer demo-admin-key')
    .send({ query: 'query($id: ID!) { invoice(id: $id) { id } }', variables: { id: 'INV-1' } });
  const requestId = res.headers['x-request-id'];
  assert.ok(requestId);
  assert.deepEqual(res.body.errors, [{ message: 'Internal server error', path: ['invoice'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }]);
  assert.doesNotMatch(res.text, /oms_invoice|SELECT |ER_NO_SUCH|doesn't exist|\.js:\d+|stack/i);

  const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unexpected GraphQL error' && l.requestId === requestId);
  assert.ok(logged, `a log line with requestId ${requestId}`);
  assert.match(logged.err.message, /oms_invoice.*doesn't exist/);
  assert.match(logged.err.stack, /at /);
});

test('a nested field that fails: the same mask at its path, other fields still answered', async () => {
  const r = await t.gql('SUPPORT', 'query($id: ID!) { order(id: $id) { id status } again: order(id: $id) { invoices { id } } }', { id: orderId });
  assert.equal(r.data.order.id, orderId);
  assert.equal(r.data.again, null);
  assert.equal(r.errors!.length, 1);
  assert.deepEqual(Object.keys(r.errors![0]!).sort(), ['extensions', 'message', 'path']);
  assert.deepEqual(r.errors![0]!.path, ['again', 'invoices']);
  assert.deepEqual(Object.keys(r.errors![0]!.extensions!).sort(), ['code', 'requestId']);
  assert.equal(r.errors![0]!.extensions!.requestId, r.extensions?.requestId);
  assert.ok(lines.some((l) => l.includes(r.extensions?.requestId) && l.includes('oms_invoice')));
});

test('expected errors keep their message and code', async () => {
  const r = await t.gql('SUPPORT', '{ orders(first: 1000) { nodes { id } } }');
  assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.match(r.errors![0]!.message, /at most 100/);
});
