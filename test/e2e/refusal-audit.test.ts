import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, Role, stopTestServer, TestApp } from '../support/test-app';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

/** Every mutation, with input that parses: each is refused for a role below its policy. */
const ATTEMPTS = {
  refundInvoice: 'mutation { refundInvoice(input: { orderId: "ord-x", invoiceId: "inv-x", reason: "RETURN", idempotencyKey: "k-1" }) { __typename } }',
  creditPaymentMethod:
    'mutation { creditPaymentMethod(input: { orderId: "ord-x", paymentMethodId: "pm-x", amount: "1.00", reason: "goodwill", idempotencyKey: "k-2" }) { __typename } }',
  recoverRefunds: 'mutation { recoverRefunds(input: { orderId: "ord-x" }) { __typename } }',
  syncOrder: 'mutation { syncOrder(input: { orderId: "ord-x" }) { __typename } }',
  retryOutboxMessages: 'mutation { retryOutboxMessages(input: { ids: ["1"] }) { __typename } }',
  runReconciliation: 'mutation { runReconciliation(input: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }) { __typename } }',
  decideException: 'mutation { decideException(input: { exceptionId: "1", decision: REFUND_AND_CLOSE, note: "n" }) { __typename } }',
} satisfies Record<string, string>;

async function refusals(subject: string): Promise<string[]> {
  const rows: { operation: string }[] = await t.dataSource.query("SELECT operation FROM audit_log WHERE subject = ? AND outcome = 'REJECTED:FORBIDDEN' ORDER BY operation", [
    subject,
  ]);
  return rows.map((r) => r.operation);
}

test('every mutation refused for a logged-in role leaves one audit row REJECTED:FORBIDDEN, and changes nothing else', async () => {
  const before = await t.dataSource.query('SELECT COUNT(*) n FROM refund');
  for (const [name, query] of Object.entries(ATTEMPTS)) {
    const r = await t.gql('SUPPORT', query);
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', `${name}: ${JSON.stringify(r.errors)}`);
  }
  assert.deepEqual(await refusals('support-demo'), Object.keys(ATTEMPTS).sort());
  assert.deepEqual(await t.dataSource.query('SELECT COUNT(*) n FROM refund'), before);
});

test('a role allowed some decisions but not this one is refused and audited too (FINANCE closing an exception)', async () => {
  const role: Role = 'FINANCE';
  const r = await t.gql(role, ATTEMPTS.decideException);
  assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  assert.deepEqual(await refusals('finance-demo'), ['decideException']);
});
