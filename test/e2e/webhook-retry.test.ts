/**
 * An admin applies stored webhook events again (retryWebhookEvents): a dead event whose cause is
 * gone is applied; a rejected one is checked again and stays refused when its body still breaks
 * the contract; finance is refused; unknown or applied ids are typed errors and change nothing;
 * every call is in the audit log.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { sign } from '../../src/webhooks';
import { UNLIMITED_GRAPHQL } from '../support/recon';
import { rows } from '../support/refunds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

const RETRY = `mutation($input: RetryWebhookEventsInput!) { retryWebhookEvents(input: $input) {
  retried { id eventId status attempts error processedAt } userErrors { code message field } } }`;

let t: TestApp;
before(async () => {
  t = await createTestApp({
    env: {
      // The first apply of this process fails in the database, and one failure dead-letters an event.
      TEST_FAULT_POINTS: 'webhook.apply=dberror#1',
      WEBHOOK_MAX_ATTEMPTS: '1',
      GRAPHQL_LIMITS: UNLIMITED_GRAPHQL,
    },
  });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

function postOms(body: Record<string, unknown>) {
  const raw = JSON.stringify(body);
  return t.http.post('/webhooks/oms').set('Content-Type', 'application/json').set('X-Signature', sign(t.config.webhookSecrets.OMS, raw)).send(raw);
}
const orderEvent = (orderId: string, total: string) => ({
  id: `evt-${randomUUID()}`,
  type: 'order.upserted',
  data: { order: { id: orderId, status: 'CREATED', currency: 'EUR', total, customerId: 'c-1', createdAt: '2026-11-01T10:00:00.000Z', version: 1 } },
});
const eventRow = async (eventId: string) => (await rows(t, 'SELECT id, status, attempts, error FROM webhook_event WHERE event_id = ?', [eventId]))[0];
const audits = () => rows(t, "SELECT role, outcome, arguments FROM audit_log WHERE operation = 'retryWebhookEvents' ORDER BY id");

test('a dead webhook event is applied again by an admin once its cause is gone; finance is refused; bad ids change nothing', async () => {
  const dead = orderEvent('wr-order-1', '4999');
  const first = await postOms(dead);
  assert.equal(first.status, 500);
  const row = await eventRow(dead.id);
  assert.deepEqual([row.status, row.attempts], ['DEAD', 1]);
  assert.equal((await rows(t, "SELECT id FROM oms_order WHERE id = 'wr-order-1'")).length, 0);
  const id = String(row.id);

  // Finance may read the event but not retry it: FORBIDDEN, audited, nothing changes.
  const seen = await t.gql('FINANCE', '{ webhookEvents(filter: { status: [DEAD] }) { nodes { id status } } }');
  assert.deepEqual(seen.data.webhookEvents.nodes, [{ id, status: 'DEAD' }]);
  const byFinance = await t.gql('FINANCE', RETRY, { input: { ids: [id] } });
  assert.equal(byFinance.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.equal((await eventRow(dead.id)).status, 'DEAD');

  // An unknown id among them: a typed error for it, nothing retried.
  const unknown = await t.gql('ADMIN', RETRY, { input: { ids: [id, '987654321'] } });
  assert.deepEqual(unknown.data.retryWebhookEvents.retried, []);
  assert.deepEqual(
    unknown.data.retryWebhookEvents.userErrors.map((u: any) => [u.code, u.field]),
    [['WEBHOOK_EVENT_NOT_FOUND', ['input', 'ids', '1']]],
  );
  const invalid = await t.gql('ADMIN', RETRY, { input: { ids: [] } });
  assert.equal(invalid.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const notAnId = await t.gql('ADMIN', RETRY, { input: { ids: ['evt-1'] } });
  assert.equal(notAnId.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.deepEqual([(await eventRow(dead.id)).status, (await eventRow(dead.id)).attempts], ['DEAD', 1]);
  assert.equal((await rows(t, "SELECT id FROM oms_order WHERE id = 'wr-order-1'")).length, 0);

  // The database fault is gone: the admin's retry applies it, through the worker's path.
  const ok = await t.gql('ADMIN', RETRY, { input: { ids: [id] } });
  assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
  assert.deepEqual(ok.data.retryWebhookEvents.userErrors, []);
  const [r] = ok.data.retryWebhookEvents.retried;
  assert.deepEqual([r.id, r.eventId, r.status, r.error], [id, dead.id, 'PROCESSED', null]);
  assert.ok(r.processedAt);
  const [order] = await rows(t, "SELECT total_minor FROM oms_order WHERE id = 'wr-order-1'");
  assert.equal(String(order.total_minor), '4999');

  // Applied now: a second retry is a typed error and changes nothing.
  const again = await t.gql('ADMIN', RETRY, { input: { ids: [id] } });
  assert.deepEqual(
    again.data.retryWebhookEvents.userErrors.map((u: any) => [u.code, u.field]),
    [['WEBHOOK_EVENT_ALREADY_APPLIED', ['input', 'ids', '0']]],
  );

  const log = await audits();
  assert.deepEqual(
    log.map((a: any) => [a.role, a.outcome]),
    [
      ['FINANCE', 'REJECTED:FORBIDDEN'],
      ['ADMIN', 'REJECTED:WEBHOOK_EVENT_NOT_FOUND'],
      ['ADMIN', 'REJECTED:BAD_USER_INPUT'],
      ['ADMIN', 'REJECTED:BAD_USER_INPUT'],
      ['ADMIN', 'SUCCEEDED'],
      ['ADMIN', 'REJECTED:WEBHOOK_EVENT_ALREADY_APPLIED'],
    ],
  );
  const succeeded = JSON.parse(log[4].arguments);
  assert.deepEqual(succeeded.retriedIds, [id]);
  assert.deepEqual(succeeded.was, { [id]: 'DEAD' });
});

test('a rejected event is checked again and stays rejected while its body breaks the contract', async () => {
  const bad = orderEvent('wr-order-2', 'forty-nine');
  assert.equal((await postOms(bad)).status, 400);
  const row = await eventRow(bad.id);
  assert.equal(row.status, 'REJECTED');
  const r = await t.gql('ADMIN', RETRY, { input: { ids: [String(row.id)] } });
  assert.deepEqual(r.data.retryWebhookEvents.userErrors, []);
  const [x] = r.data.retryWebhookEvents.retried;
  assert.equal(x.status, 'REJECTED');
  assert.match(x.error, /total/);
  assert.equal((await rows(t, "SELECT id FROM oms_order WHERE id = 'wr-order-2'")).length, 0);
});
