/**
 * An exception's decision history: every decision kept, in order, with who, role, when, the note
 * and the status before and after; a refused decision adds nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../support/drive';
import { UNLIMITED_GRAPHQL } from '../support/recon';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

const HISTORY = `query($filter: MoneyExceptionFilter) { moneyExceptions(filter: $filter) { nodes { id status
  decision { decision note } history { decision decidedBy role decidedAt note previousStatus previousDecision status } } } }`;
const DECIDE = `mutation($input: DecideExceptionInput!) { decideException(input: $input) {
  exception { status history { decision } } userErrors { code } } }`;

let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { AUTO_REFUND_INPUT_INVOICES: 'false', EXCEPTIONS_STALE_SECONDS: '0', GRAPHQL_LIMITS: UNLIMITED_GRAPHQL } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

test('hold, a refused decision, then release: both decisions are in the history, oldest first, with the states around them', async () => {
  const orderId = `ord-history-${process.pid}`;
  await call(t.sims.urls.psp, 'POST', '/payments', { orderId, amount: '4200', currency: 'EUR' });
  const filter = { orderId, kinds: ['AUTHORIZED_ORDER_NOT_CREATED'], status: ['OPEN', 'DECIDED', 'RESOLVED'] };
  const read = async () => {
    const r = await t.gql('SUPPORT', HISTORY, { filter });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data.moneyExceptions.nodes.length, 1);
    return r.data.moneyExceptions.nodes[0];
  };
  const x = await read();
  assert.deepEqual([x.status, x.history], ['OPEN', []]);

  const hold = await t.gql('FINANCE', DECIDE, { input: { exceptionId: x.id, decision: 'HOLD_AND_ESCALATE', note: 'Waiting for commerce to create the order' } });
  assert.deepEqual(hold.data.decideException.userErrors, []);
  assert.deepEqual(hold.data.decideException.exception.history, [{ decision: 'HOLD_AND_ESCALATE' }]);
  // Holding what is already held is refused: nothing is added to the history.
  const refused = await t.gql('FINANCE', DECIDE, { input: { exceptionId: x.id, decision: 'HOLD_AND_ESCALATE', note: 'again' } });
  assert.equal(refused.data.decideException.userErrors.length, 1);
  const release = await t.gql('ADMIN', DECIDE, { input: { exceptionId: x.id, decision: 'RELEASE_HOLD', note: 'Commerce will not create it; back to the queue' } });
  assert.deepEqual(release.data.decideException.userErrors, []);

  const y = await read();
  assert.equal(y.status, 'OPEN');
  assert.deepEqual(y.decision, { decision: 'RELEASE_HOLD', note: 'Commerce will not create it; back to the queue' });
  assert.deepEqual(
    y.history.map(({ decidedAt: _, ...h }: any) => h),
    [
      {
        decision: 'HOLD_AND_ESCALATE',
        decidedBy: 'finance-demo',
        role: 'FINANCE',
        note: 'Waiting for commerce to create the order',
        previousStatus: 'OPEN',
        previousDecision: null,
        status: 'DECIDED',
      },
      {
        decision: 'RELEASE_HOLD',
        decidedBy: 'admin-demo',
        role: 'ADMIN',
        note: 'Commerce will not create it; back to the queue',
        previousStatus: 'DECIDED',
        previousDecision: 'HOLD_AND_ESCALATE',
        status: 'OPEN',
      },
    ],
  );
  assert.ok(y.history[0].decidedAt <= y.history[1].decidedAt);
  // The audit log has the same two decisions (and the refusal).
  const audit = await t.dataSource.query("SELECT outcome FROM audit_log WHERE operation = 'decideException' ORDER BY id");
  assert.deepEqual(
    audit.map((a: any) => a.outcome),
    ['DECIDED:HOLD_AND_ESCALATE', 'REJECTED:DECISION_NOT_ALLOWED', 'DECIDED:RELEASE_HOLD'],
  );
});
