/** auditLog(filter, first, after): admins read who did what; rows are written by the audited mutations. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder } from '../support/drive';
import { bearer, token } from '../support/tokens';
import { writeAudit } from '../../src/audit';
import { RequestContext } from '../../src/db/context';
import { countStatements } from '../../src/db/sql-counter';
import { Role } from '../../src/shared/actor';
import { ManualClock } from '../../src/shared/clock';

const LOG = `query($f: AuditLogFilterInput, $first: Int, $after: String) {
  auditLog(filter: $f, first: $first, after: $after) {
    nodes { id subject role operation arguments orderId requestId outcome occurredAt }
    pageInfo { hasNextPage endCursor }
  }
}`;

const clock = new ManualClock(new Date('2030-01-01T00:00:00.000Z'));
let t: TestApp;
before(async () => {
  t = await createTestApp({ clock });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

async function seed(n: number, operation: string, orderId: string | null = null) {
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    const ctx = new RequestContext(t.app.services, { subject: 'seed-bot', role: Role.FINANCE, kind: 'service' }, `req-${operation}-${i}`);
    await writeAudit(ctx, { operation, args: { i, apiKey: 'sk_live_123', nested: { password: 'hunter2' } }, orderId, outcome: 'SUCCEEDED' });
  }
}

test('an audited mutation (syncOrder) leaves a row naming the person, the request and the outcome', async () => {
  const { orderId } = await paidOrder(t.sims);
  const res = await t.http
    .post('/graphql')
    .set('Content-Type', 'application/json')
    .set(bearer(token({ role: 'ADMIN', sub: 'alice', iat: Math.floor(clock.now().getTime() / 1000) })))
    .send({ query: 'mutation($id: ID!) { syncOrder(input: { orderId: $id }) { userErrors { code } } }', variables: { id: orderId } });
  assert.deepEqual(res.body.data.syncOrder.userErrors, []);
  const r = await t.gql('ADMIN', LOG, { f: { subject: 'alice', operation: 'syncOrder', orderId } });
  assert.equal(r.data.auditLog.nodes.length, 1);
  const row = r.data.auditLog.nodes[0];
  assert.deepEqual(
    { subject: row.subject, role: row.role, operation: row.operation, orderId: row.orderId, requestId: row.requestId, outcome: row.outcome },
    { subject: 'alice', role: 'ADMIN', operation: 'syncOrder', orderId, requestId: res.headers['x-request-id'], outcome: 'SUCCEEDED' },
  );
  assert.equal(JSON.parse(row.arguments).input.orderId, orderId);
});

test('a rejected mutation is audited too', async () => {
  await t.gql('ADMIN', 'mutation { syncOrder(input: { orderId: "no-such-order" }) { userErrors { code } } }');
  const r = await t.gql('ADMIN', LOG, { f: { orderId: 'no-such-order' } });
  assert.equal(r.data.auditLog.nodes.length, 1);
  assert.match(r.data.auditLog.nodes[0].outcome, /^REJECTED:/);
  assert.equal(r.data.auditLog.nodes[0].subject, 'admin-demo');
});

test('filters, newest first, keyset pages that cover every row once; secrets redacted', async () => {
  const from = new Date(clock.now().getTime() + 1);
  await seed(7, 'decideException', 'ord-audit-1');
  const middle = new Date(clock.now().getTime() + 1);
  await seed(3, 'runReconciliation');
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r: any = await t.gql('ADMIN', LOG, { f: { subject: 'seed-bot' }, first: 4, after: cursor });
    seen.push(...r.data.auditLog.nodes.map((n: any) => n.requestId));
    cursor = r.data.auditLog.pageInfo.hasNextPage ? r.data.auditLog.pageInfo.endCursor : null;
    pages++;
  } while (cursor);
  assert.equal(pages, 3);
  assert.deepEqual(seen, [...[2, 1, 0].map((i) => `req-runReconciliation-${i}`), ...[6, 5, 4, 3, 2, 1, 0].map((i) => `req-decideException-${i}`)]);

  const byOrder = await t.gql('ADMIN', LOG, { f: { orderId: 'ord-audit-1' }, first: 100 });
  assert.equal(byOrder.data.auditLog.nodes.length, 7);
  const window = await t.gql('ADMIN', LOG, { f: { from: from.toISOString(), to: middle.toISOString() }, first: 100 });
  assert.deepEqual(new Set(window.data.auditLog.nodes.map((n: any) => n.operation)), new Set(['decideException']));
  assert.equal(window.data.auditLog.nodes.length, 7);
  const op = await t.gql('ADMIN', LOG, { f: { operation: 'runReconciliation' } });
  assert.equal(op.data.auditLog.nodes.length, 3);

  const args = JSON.parse(op.data.auditLog.nodes[0].arguments);
  assert.deepEqual(args, { i: 2, apiKey: '[redacted]', nested: { password: '[redacted]' } });
});

test('bad input: inverted period, foreign cursor, first over 100', async () => {
  const inverted = await t.gql('ADMIN', LOG, { f: { from: '2030-02-01T00:00:00Z', to: '2030-01-01T00:00:00Z' } });
  assert.equal(inverted.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const cursor = await t.gql('ADMIN', LOG, { after: Buffer.from(JSON.stringify(['2030-01-01', '1 OR 1=1'])).toString('base64url') });
  assert.equal(cursor.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  const big = await t.gql('ADMIN', LOG, { first: 101 });
  assert.equal(big.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
});

test('admins only', async () => {
  for (const role of ['SUPPORT', 'ANALYST', 'FINANCE'] as const) {
    const r = await t.gql(role, LOG);
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', role);
    assert.equal(r.data, undefined);
  }
  assert.equal((await t.gql(null, LOG)).status, 401);
});

test('one SQL statement whatever the page size', async () => {
  await seed(40, 'bulk');
  const measure = async (first: number) => {
    const { result, count } = await countStatements(() => t.gql('ADMIN', LOG, { f: { operation: 'bulk' }, first }));
    assert.equal((result as any).data.auditLog.nodes.length, first);
    return count;
  };
  const [one, forty] = [await measure(1), await measure(40)];
  assert.equal(one, forty);
  assert.equal(one, 1);
});
