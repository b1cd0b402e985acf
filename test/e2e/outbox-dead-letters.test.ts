/**
 * Dead letters are visible and can be retried: the ERP down longer than OUTBOX_MAX_ATTEMPTS allows
 * leaves the refund's posting DEAD; finance sees it (outboxMessages, the REFUND_NOT_POSTED_TO_ERP
 * exception's detail), an admin puts it back (retryOutboxMessages, audited), and once the ERP is
 * back it is booked exactly once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { drainOutbox, runOutboxRound } from '../../src/outbox';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { EXCEPTIONS_QUERY, UNLIMITED_GRAPHQL } from '../support/recon';
import { refundInvoice, rows } from '../support/refunds';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

const MESSAGES = `query($filter: OutboxMessageFilter, $first: Int, $after: String) {
  outboxMessages(filter: $filter, first: $first, after: $after) {
    nodes { id topic dedupeKey orderId status attempts nextAttemptAt lastError createdAt updatedAt doneAt payload }
    pageInfo { hasNextPage endCursor }
  }
}`;
const RETRY = `mutation($input: RetryOutboxMessagesInput!) { retryOutboxMessages(input: $input) {
  retried { id status attempts lastError nextAttemptAt } userErrors { code message field } } }`;

let t: TestApp;
before(async () => {
  t = await createTestApp({
    env: {
      AUTO_REFUND_INPUT_INVOICES: 'false',
      OUTBOX_MAX_ATTEMPTS: '2',
      UPSTREAM_RETRIES: '0',
      UPSTREAM_BREAKER_THRESHOLD: '1000',
      EXCEPTIONS_STALE_SECONDS: '0',
      GRAPHQL_LIMITS: UNLIMITED_GRAPHQL,
    },
  });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const erpFaults = (body: Record<string, unknown>) => call(t.sims.urls.erp, 'POST', '/_faults', body);
const audits = (operation: string) => rows(t, 'SELECT subject, role, outcome, arguments, order_id FROM audit_log WHERE operation = ? ORDER BY id', [operation]);

test('a posting dead-lettered while the ERP is down is shown to finance, retried by an admin, and booked exactly once', async () => {
  const o = await paidOrder(t.sims);
  const inv = await returnInvoice(t.sims, o.orderId, '2500');
  const refund = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice.refund;
  assert.equal(refund.status, 'SUCCEEDED');

  await erpFaults({ failNext: 10_000 });
  for (let i = 0; i < 5; i++) {
    await drainOutbox(t.app.services);
    await runOutboxRound(t.app.services, { ignoreSchedule: true });
  }
  const [dead] = await rows(t, "SELECT id, status, attempts FROM outbox_message WHERE order_id = ? AND topic = 'erp.post'", [o.orderId]);
  assert.deepEqual([dead.status, dead.attempts], ['DEAD', 2]);
  const deadId = String(dead.id);

  // Finance sees it among the dead letters, with what it would post.
  const seen = await t.gql('FINANCE', MESSAGES, { filter: { status: ['DEAD'], orderId: o.orderId } });
  assert.equal(seen.errors, undefined, JSON.stringify(seen.errors));
  assert.equal(seen.data.outboxMessages.nodes.length, 1);
  const m = seen.data.outboxMessages.nodes[0];
  assert.deepEqual(
    { id: m.id, topic: m.topic, dedupeKey: m.dedupeKey, orderId: m.orderId, status: m.status, attempts: m.attempts, doneAt: m.doneAt },
    { id: deadId, topic: 'erp.post', dedupeKey: `erp.post:REFUND:${refund.pspRefundId}`, orderId: o.orderId, status: 'DEAD', attempts: 2, doneAt: null },
  );
  assert.match(m.lastError, /erp .*HTTP 503/);
  assert.equal(m.payload.externalRef, refund.pspRefundId);
  assert.equal(m.payload.amountMinor, '2500');
  assert.equal(m.payload.currency, 'EUR');
  const byTopic = await t.gql('ADMIN', MESSAGES, { filter: { topic: 'erp.post', status: ['DEAD'] }, first: 100 });
  assert.ok(byTopic.data.outboxMessages.nodes.some((n: any) => n.id === deadId));
  for (const role of ['SUPPORT', 'ANALYST'] as const) {
    const denied = await t.gql(role, MESSAGES, { filter: { status: ['DEAD'] } });
    assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN', role);
  }

  // The exception names the dead message, at once (a dead posting needs a person, no grace period).
  const ex = await t.gql('FINANCE', EXCEPTIONS_QUERY, { filter: { kinds: ['REFUND_NOT_POSTED_TO_ERP'], orderId: o.orderId } });
  assert.equal(ex.errors, undefined, JSON.stringify(ex.errors));
  const e = ex.data.moneyExceptions.edges.map((x: any) => x.node);
  assert.equal(e.length, 1);
  assert.equal(e[0].evidence.pspRefundId, refund.pspRefundId);
  assert.match(e[0].detail, new RegExp(`Refund ${refund.pspRefundId} of 25\\.00 EUR succeeded at the PSP`));
  assert.match(e[0].detail, new RegExp(`outbox message ${deadId}, is DEAD after 2 attempt\\(s\\) \\(last error: erp .*HTTP 503\\)`));
  assert.doesNotMatch(e[0].detail, /2500 EUR/);

  // Finance may not retry: refused and audited, nothing changes.
  const byFinance = await t.gql('FINANCE', RETRY, { input: { ids: [deadId] } });
  assert.equal(byFinance.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  const refusals = (await audits('retryOutboxMessages')).filter((a: any) => a.role === 'FINANCE');
  assert.equal(refusals.length, 1);
  assert.equal(refusals[0].outcome, 'REJECTED:FORBIDDEN');
  assert.deepEqual(JSON.parse(refusals[0].arguments).input.ids, [deadId]);

  // An unknown id or a message that is not DEAD: userErrors, nothing retried, audited.
  const [done] = await rows(t, "SELECT id FROM outbox_message WHERE order_id = ? AND status = 'DONE' LIMIT 1", [o.orderId]);
  const bad = await t.gql('ADMIN', RETRY, { input: { ids: [deadId, '999999999', String(done.id)] } });
  assert.deepEqual(bad.data.retryOutboxMessages.retried, []);
  assert.deepEqual(
    bad.data.retryOutboxMessages.userErrors.map((u: any) => [u.code, u.field]),
    [
      ['OUTBOX_MESSAGE_NOT_FOUND', ['input', 'ids', '1']],
      ['OUTBOX_MESSAGE_NOT_DEAD', ['input', 'ids', '2']],
    ],
  );
  const invalid = await t.gql('ADMIN', RETRY, { input: { ids: [deadId], filter: { orderId: o.orderId } } });
  assert.equal(invalid.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const tooMany = await t.gql('ADMIN', RETRY, { input: { ids: Array.from({ length: 501 }, (_, i) => String(i + 1)) } });
  assert.equal(tooMany.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const [still] = await rows(t, 'SELECT status, attempts FROM outbox_message WHERE id = ?', [deadId]);
  assert.deepEqual([still.status, still.attempts], ['DEAD', 2]);

  // The admin's retry: PENDING, due now, attempts reset, the last error kept; audited with the ids.
  const ok = await t.gql('ADMIN', RETRY, { input: { ids: [deadId] } });
  assert.deepEqual(ok.data.retryOutboxMessages.userErrors, []);
  const [r] = ok.data.retryOutboxMessages.retried;
  assert.deepEqual([r.id, r.status, r.attempts], [deadId, 'PENDING', 0]);
  assert.match(r.lastError, /HTTP 503/);
  const adminRows = (await audits('retryOutboxMessages')).filter((a: any) => a.role === 'ADMIN');
  assert.deepEqual(
    adminRows.map((a: any) => a.outcome),
    ['REJECTED:OUTBOX_MESSAGE_NOT_FOUND', 'REJECTED:BAD_USER_INPUT', 'REJECTED:BAD_USER_INPUT', 'SUCCEEDED'],
  );
  assert.deepEqual(JSON.parse(adminRows[3].arguments).retriedIds, [deadId]);
  assert.equal(adminRows[3].order_id, o.orderId);

  // The ERP is back: the posting is delivered, once.
  await erpFaults({ failNext: 0 });
  await drainOutbox(t.app.services);
  const [delivered] = await rows(t, 'SELECT status, attempts, last_error FROM outbox_message WHERE id = ?', [deadId]);
  assert.deepEqual([delivered.status, delivered.attempts, delivered.last_error], ['DONE', 1, null]);
  const booked = [...t.sims.erp.state.postings.values()].filter((p: any) => p.externalRef === refund.pspRefundId);
  assert.equal(booked.length, 1);
  assert.equal(booked[0]!.amount, 2500n);
  const after = await t.gql('FINANCE', EXCEPTIONS_QUERY, { filter: { kinds: ['REFUND_NOT_POSTED_TO_ERP'], orderId: o.orderId, status: ['OPEN', 'DECIDED', 'RESOLVED'] } });
  assert.equal(after.data.moneyExceptions.edges[0].node.status, 'RESOLVED');

  // Nothing DEAD left for this order: a retry by filter says so.
  const none = await t.gql('ADMIN', RETRY, { input: { filter: { orderId: o.orderId } } });
  assert.deepEqual(
    none.data.retryOutboxMessages.userErrors.map((u: any) => u.code),
    ['NO_DEAD_OUTBOX_MESSAGES'],
  );
});
