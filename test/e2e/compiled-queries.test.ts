/**
 * Compiled queries (GRAPHQL_COMPILED_QUERIES, graphql-jit) answer exactly what graphql-js answers:
 * two service instances on one database, one compiling its queries and one not, are asked the same
 * documents — the pages and the order an analyst and support open, fragments, aliases, directives,
 * federation's entities, access refusals, bad input, a field that fails — and must return the same
 * status, data and errors (request ids and budget figures aside, which differ per instance).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { getIntrospectionQuery } from 'graphql';
import { drainOutbox } from '../../src/outbox';
import { compiledOperations } from '../../src/graphql/jit-executor';
import { seedDemo } from '../../scripts/demo-data';
import { createTestApp, DEMO_KEYS, stopTestServer, type Role, TestApp } from '../support/test-app';

let compiled: TestApp;
let plain: TestApp;
let orderIds: string[] = [];

/**
 * The two instances share one database, so each caller's cost budget too; the test asks every
 * document twice, and the budget is raised so that the answers compared are the queries' own.
 */
const raised = { budget: 10_000_000, restorePerSecond: 10_000_000 };
const GRAPHQL_LIMITS = JSON.stringify({ SUPPORT: raised, ANALYST: raised, FINANCE: raised, ADMIN: raised });

before(async () => {
  compiled = await createTestApp({ env: { GRAPHQL_COMPILED_QUERIES: 'true', GRAPHQL_LIMITS } });
  plain = await createTestApp({ shareWith: compiled, env: { GRAPHQL_COMPILED_QUERIES: 'false', GRAPHQL_LIMITS } });
  await seedDemo(compiled.sims, 12);
  for (let i = 0; i < 50 && (await drainOutbox(compiled.app.services)).done > 0; i++);
  const r = await compiled.gql('ANALYST', '{ orders(first: 100) { nodes { id } } }');
  orderIds = r.data.orders.nodes.map((n: { id: string }) => n.id);
});
after(async () => {
  await plain?.close();
  await compiled?.close();
  await stopTestServer();
});

/** Status, data and errors of one request; the request id and the budget's figures differ per instance and are left out. */
async function ask(t: TestApp, role: Role, body: Record<string, unknown>): Promise<{ status: number; data: unknown; errors: unknown }> {
  const res = await t.http.post('/graphql').set('Content-Type', 'application/json').set('Authorization', `Bearer ${DEMO_KEYS[role]}`).send(body);
  const errors = (res.body.errors as { extensions?: Record<string, unknown> }[] | undefined)?.map((e) => {
    const { requestId: _r, ...extensions } = e.extensions ?? {};
    return { ...e, extensions };
  });
  return { status: res.status, data: res.body.data, errors };
}

async function same(role: Role, body: Record<string, unknown>): Promise<{ status: number; data: unknown; errors: unknown }> {
  const [a, b] = [await ask(compiled, role, body), await ask(plain, role, body)];
  assert.deepEqual(a, b, `${role} ${JSON.stringify(body).slice(0, 120)}`);
  return a;
}

const MONEY_STATE = `moneyState { authorized { amount } captured { amount } refunded { amount } refundInFlight { amount } refundable { amount }
  pendingRefund { amount } settled { amount } postedToErp { amount } outstanding { amount } }`;
const PENDING = `pendingRefunds { totalPending { amount } nextAction invoices { invoiceId pending { amount } nextAction } payments { paymentId refundable { amount } } }`;
const ANALYST_PAGE = `query($first: Int) { orders(first: $first) { pageInfo { hasNextPage endCursor }
  nodes { id status customerId total { amount currencyCode }
    invoices { id kind amount { amount } } invoiceData { inSync entries { invoiceId refunded { amount } omsRefunded { amount } inSync } }
    payments { id status authorized { amount } captures { id } } captures { id amount { amount } } refunds { id status amount { amount } }
    settlementLines { id kind gross { amount } } erpPostings { id kind amount { amount } } interactions { id kind message } ${MONEY_STATE} ${PENDING} } } }`;
const ONE_ORDER = `query($id: ID!) { order(id: $id) { id status customerId total { amount currencyCode }
  invoices { id number kind amount { amount currencyCode } issuedAt } payments { id status disputed authorized { amount } }
  captures { id amount { amount } capturedAt } refunds { id status amount { amount } invoiceId pspRefundId }
  settlementLines { id kind gross { amount } } erpPostings { id kind externalRef amount { amount } status }
  interactions { id kind message occurredAt } exceptions { id kind status } ${MONEY_STATE} ${PENDING} } }`;

test('the analyst page and every order support opens: the same answers, compiled or not', async () => {
  assert.equal(compiled.app.services.config.graphqlCompiledQueries, true);
  assert.equal(plain.app.services.config.graphqlCompiledQueries, false);
  // A document neither instance has seen: the one with compiled queries compiles it, the other does not.
  const fresh = { query: `query Fresh${Date.now()} { __typename }` };
  const before = compiledOperations();
  await ask(plain, 'SUPPORT', fresh);
  assert.equal(compiledOperations(), before, 'the graphql-js instance compiled nothing');
  await ask(compiled, 'SUPPORT', fresh);
  assert.equal(compiledOperations(), before + 1, 'the compiling instance compiled the document');
  assert.ok(orderIds.length >= 12, `demo orders: ${orderIds.length}`);
  const page = await same('ANALYST', { query: ANALYST_PAGE, variables: { first: 100 } });
  assert.equal(page.status, 200);
  assert.equal((page.data as { orders: { nodes: unknown[] } }).orders.nodes.length, orderIds.length);
  for (const first of [1, 5]) await same('ANALYST', { query: ANALYST_PAGE, variables: { first } });
  for (const id of orderIds) {
    const r = await same('SUPPORT', { query: ONE_ORDER, variables: { id } });
    assert.equal((r.data as { order: { id: string } }).order.id, id);
  }
});

test('fragments, aliases, @include/@skip, named operations, unknown ids and federation entities: the same answers', async () => {
  const [id] = orderIds;
  await same('SUPPORT', {
    query: `fragment M on Money { amount currencyCode }
      query Two($id: ID!, $with: Boolean!, $without: Boolean!) {
        a: order(id: $id) { id total { ...M } refunds @include(if: $with) { id amount { ...M } } payments @skip(if: $without) { id } }
        b: order(id: "no-such-order") { id }
        ... on Query { again: order(id: $id) { __typename status } }
      }
      query Other { __typename }`,
    operationName: 'Two',
    variables: { id, with: true, without: false },
  });
  await same('SUPPORT', { query: 'query($id: ID!, $with: Boolean!) { order(id: $id) { id refunds @include(if: $with) { id } } }', variables: { id, with: false } });
  await same('ADMIN', {
    query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Order { id status total { amount } } } }',
    variables: {
      r: [
        { __typename: 'Order', id },
        { __typename: 'Order', id: 'no-such-order' },
      ],
    },
  });
  await same('FINANCE', {
    query: '{ moneyExceptions(first: 50) { nodes { id kind status orderId detail evidence { orderCode omsStatus amount { amount } } } pageInfo { hasNextPage } } }',
  });
  await same('ADMIN', { query: '{ viewer { role } webhookEvents(first: 20) { nodes { source eventType status } pageInfo { hasNextPage endCursor } } }' });
  // What the IDE asks first (introspection is on outside production).
  const schema = await same('ADMIN', { query: getIntrospectionQuery() });
  assert.ok((schema.data as { __schema: { types: unknown[] } }).__schema.types.length > 50);
});

test('refusals, bad input and bad variables: the same status, codes and messages', async () => {
  const refused = await same('SUPPORT', { query: '{ auditLog(first: 5) { nodes { id } } }' });
  assert.ok(JSON.stringify(refused.errors).includes('FORBIDDEN'), JSON.stringify(refused));
  const big = await same('ANALYST', { query: '{ orders(first: 1000) { nodes { id } } }' });
  assert.ok(JSON.stringify(big.errors).includes('BAD_USER_INPUT'), JSON.stringify(big));
  const badVar = await same('ANALYST', { query: 'query($first: Int) { orders(first: $first) { nodes { id } } }', variables: { first: 'ten' } });
  assert.match(JSON.stringify(badVar.errors), /\$first/);
  const missing = await same('SUPPORT', { query: 'query($id: ID!) { order(id: $id) { id } }', variables: {} });
  assert.match(JSON.stringify(missing.errors), /\$id/);
  await same('SUPPORT', { query: 'query A { __typename }', operationName: 'B' });
});
