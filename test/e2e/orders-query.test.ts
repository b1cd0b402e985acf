import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countStatements } from '../../src/db/sql-counter';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';

let t: TestApp;
const ids: string[] = [];

before(async () => {
  t = await createTestApp();
  // 100 orders, each with a sale invoice, a captured payment and a return invoice; some with more.
  for (let i = 0; i < 100; i++) {
    const o = await paidOrder(t.sims, { total: String(1000 + i), customerId: `customer-${String(i).padStart(4, '0')}` });
    ids.push(o.orderId);
    if (i % 3 === 0) await returnInvoice(t.sims, o.orderId, '500');
    // Some with a second payment, authorized and never captured.
    if (i % 10 === 1) await call(t.sims.urls.psp, 'POST', '/payments', { orderId: o.orderId, amount: '100', currency: 'EUR', method: 'CARD', customerId: 'cust-0001' });
  }
  await call(t.sims.urls.psp, 'POST', '/settlements', {});
  await call(t.sims.urls.erp, 'POST', '/journal-entries', { kind: 'CAPTURE', externalRef: 'cap-x', orderId: ids[0], amount: '1000', currency: 'EUR' });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const EVERYTHING = `query($first: Int, $after: String) { orders(first: $first, after: $after) {
  pageInfo { hasNextPage endCursor }
  nodes { id status customerId total { amount currencyCode }
    invoices { id kind amount { amount } order { id } }
    invoiceData { inSync entries { invoiceId refunded { amount } omsRefunded { amount } inSync } }
    payments { id status authorized { amount } captures { id } order { id } }
    captures { id amount { amount } }
    refunds { id status }
    settlementLines { id kind gross { amount } }
    erpPostings { id kind amount { amount } }
    interactions { id kind message }
    moneyState { authorized { amount } captured { amount } refunded { amount } refundInFlight { amount } refundable { amount }
      pendingRefund { amount } settled { amount } postedToErp { amount } outstanding { amount } }
    pendingRefunds { totalPending { amount } invoices { invoiceId pending { amount } nextAction } payments { paymentId refundable { amount } } }
  } } }`;

describe('orders(first: N) with every nested list', () => {
  test('issues the same number of SQL statements for N = 1, 10 and 100', async () => {
    const counts: number[] = [];
    for (const n of [1, 10, 100]) {
      const { result, count } = await countStatements(() => t.gql('ANALYST', EVERYTHING, { first: n }));
      assert.equal(result.errors, undefined, JSON.stringify(result.errors));
      assert.equal(result.data.orders.nodes.length, n);
      counts.push(count);
    }
    assert.equal(counts[0], counts[1], `counts ${counts}`);
    assert.equal(counts[1], counts[2], `counts ${counts}`);
    assert.ok(counts[0]! > 5 && counts[0]! < 30, `a sane number of statements: ${counts[0]}`);
  });

  test('each order of a page, its lists read ahead, is what order(id) answers for it, list by list', async () => {
    // order(id) reads nothing ahead: each of its lists goes through a loader's promise, as a page's did before.
    const nodeFields = EVERYTHING.slice(EVERYTHING.indexOf('nodes {') + 'nodes '.length, EVERYTHING.lastIndexOf('} } }') + 1);
    const page = await t.gql('ANALYST', EVERYTHING, { first: 12 });
    assert.equal(page.errors, undefined, JSON.stringify(page.errors));
    for (const node of page.data.orders.nodes) {
      const one = await t.gql('ANALYST', `query($id: ID!) { order(id: $id) ${nodeFields} }`, { id: node.id });
      assert.equal(one.errors, undefined, JSON.stringify(one.errors));
      assert.deepEqual(node, one.data.order);
    }
    // The orders have something in each list compared.
    const nodes = page.data.orders.nodes;
    for (const list of ['invoices', 'payments', 'captures', 'settlementLines', 'interactions'])
      assert.ok(
        nodes.some((n: any) => n[list].length > 0),
        list,
      );
    assert.ok(nodes.some((n: any) => n.pendingRefunds.invoices.length > 0));
    // Payments' captures (read with the lists): payments with captures and payments without.
    const payments = nodes.flatMap((n: any) => n.payments);
    assert.ok(payments.some((p: any) => p.captures.length > 0));
    assert.ok(payments.some((p: any) => p.captures.length === 0));
  });

  test('pages through all orders with cursors, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: any = await t.gql('SUPPORT', 'query($after: String) { orders(first: 30, after: $after) { pageInfo { hasNextPage endCursor } nodes { id createdAt } } }', { after });
      seen.push(...r.data.orders.nodes.map((n: any) => n.id));
      if (!r.data.orders.pageInfo.hasNextPage) break;
      after = r.data.orders.pageInfo.endCursor;
    }
    assert.equal(seen.length, 100);
    assert.deepEqual(new Set(seen), new Set(ids));
  });

  test('filters by pending refund, status and currency', async () => {
    const pending = await t.gql('SUPPORT', '{ orders(first: 100, filter: { hasPendingRefund: true }) { nodes { id pendingRefunds { totalPending { amount } } } } }');
    assert.equal(pending.data.orders.nodes.length, 34);
    for (const n of pending.data.orders.nodes) assert.equal(n.pendingRefunds.totalPending.amount, '5.00');
    const none = await t.gql('SUPPORT', '{ orders(first: 100, filter: { hasPendingRefund: false }) { nodes { id } } }');
    assert.equal(none.data.orders.nodes.length, 66);
    const usd = await t.gql('SUPPORT', '{ orders(first: 10, filter: { currencyCode: USD }) { nodes { id } } }');
    assert.equal(usd.data.orders.nodes.length, 0);
    const confirmed = await t.gql('SUPPORT', '{ orders(first: 5, filter: { status: [CONFIRMED] }) { nodes { status } } }');
    assert.equal(confirmed.data.orders.nodes.length, 5);
  });

  test('an order shows its money state from all three systems', async () => {
    const r = await t.gql(
      'ADMIN',
      `query($id: ID!) { order(id: $id) { customerId total { amount currencyCode }
      settlementLines { kind gross { amount } } erpPostings { kind externalRef }
      moneyState { captured { amount } settled { amount } postedToErp { amount } outstanding { amount } } } }`,
      { id: ids[0] },
    );
    const o = r.data.order;
    assert.equal(o.customerId, 'customer-0000');
    assert.deepEqual(o.total, { amount: '10.00', currencyCode: 'EUR' });
    assert.deepEqual(
      o.settlementLines.map((l: any) => [l.kind, l.gross.amount]),
      [['CAPTURE', '10.00']],
    );
    assert.deepEqual(o.moneyState, { captured: { amount: '10.00' }, settled: { amount: '10.00' }, postedToErp: { amount: '10.00' }, outstanding: { amount: '0.00' } });
  });

  test('support sees customer identifiers masked', async () => {
    const r = await t.gql('SUPPORT', 'query($id: ID!) { order(id: $id) { customerId payments { customerId } } }', { id: ids[5] });
    assert.equal(r.data.order.customerId, '****0005');
    assert.equal(r.data.order.payments[0].customerId, '****0005');
  });
});

describe('bad input', () => {
  test('first over the cap is a clear BAD_USER_INPUT', async () => {
    const r = await t.gql('SUPPORT', '{ orders(first: 101) { nodes { id } } }');
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(r.errors![0]!.message, /at most 100/);
    const neg = await t.gql('SUPPORT', '{ orders(first: -1) { nodes { id } } }');
    assert.equal(neg.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  test('an invalid cursor is BAD_USER_INPUT', async () => {
    for (const after of ['nonsense', Buffer.from('[1]').toString('base64url'), Buffer.from('["not a date","x"]').toString('base64url')]) {
      const r = await t.gql('SUPPORT', 'query($a: String) { orders(after: $a) { nodes { id } } }', { a: after });
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', after);
      const s = await t.gql('SUPPORT', 'query($a: String) { settlements(after: $a) { nodes { id } } }', { a: after });
      assert.equal(s.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', after);
    }
  });

  test('unknown ids answer null', async () => {
    const r = await t.gql(
      'SUPPORT',
      '{ order(id: "nope") { id } invoice(id: "nope") { id } payment(id: "nope") { id } refund(id: "nope") { id } capture(id: "nope") { id } settlement(id: "nope") { id } pendingRefunds(orderId: "nope") { orderId } }',
    );
    assert.equal(r.errors, undefined);
    assert.deepEqual(Object.values(r.data), [null, null, null, null, null, null, null]);
  });

  test('a malformed query gets a GraphQL validation error and no internals', async () => {
    const r = await t.gql('SUPPORT', '{ order(id: "x") { nope } }');
    assert.equal(r.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    const p = await t.gql('SUPPORT', '{ order(id: ');
    assert.equal(p.errors?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED');
    assert.doesNotMatch(JSON.stringify([r, p]), /stack|SELECT|at .*\.js/);
  });

  test('an inverted created range is BAD_USER_INPUT', async () => {
    const r = await t.gql('SUPPORT', '{ orders(filter: { createdFrom: "2026-02-01T00:00:00Z", createdTo: "2026-01-01T00:00:00Z" }) { nodes { id } } }');
    assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});
