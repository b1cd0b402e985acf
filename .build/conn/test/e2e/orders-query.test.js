"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const sql_counter_1 = require("../../src/db/sql-counter");
const test_app_1 = require("../support/test-app");
const drive_1 = require("../support/drive");
let t;
const ids = [];
(0, node_test_1.before)(async () => {
    t = await (0, test_app_1.createTestApp)();
    // 100 orders, each with a sale invoice, a captured payment and a return invoice; some with more.
    for (let i = 0; i < 100; i++) {
        const o = await (0, drive_1.paidOrder)(t.sims, { total: String(1000 + i), customerId: `customer-${String(i).padStart(4, '0')}` });
        ids.push(o.orderId);
        if (i % 3 === 0)
            await (0, drive_1.returnInvoice)(t.sims, o.orderId, '500');
    }
    await (0, drive_1.call)(t.sims.urls.psp, 'POST', '/settlements', {});
    await (0, drive_1.call)(t.sims.urls.erp, 'POST', '/journal-entries', { kind: 'CAPTURE', externalRef: 'cap-x', orderId: ids[0], amount: '1000', currency: 'EUR' });
});
(0, node_test_1.after)(async () => {
    await t?.close();
    await (0, test_app_1.stopTestServer)();
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
(0, node_test_1.describe)('orders(first: N) with every nested list', () => {
    (0, node_test_1.test)('issues the same number of SQL statements for N = 1, 10 and 100', async () => {
        const counts = [];
        for (const n of [1, 10, 100]) {
            const { result, count } = await (0, sql_counter_1.countStatements)(() => t.gql('ANALYST', EVERYTHING, { first: n }));
            strict_1.default.equal(result.errors, undefined, JSON.stringify(result.errors));
            strict_1.default.equal(result.data.orders.nodes.length, n);
            counts.push(count);
        }
        strict_1.default.equal(counts[0], counts[1], `counts ${counts}`);
        strict_1.default.equal(counts[1], counts[2], `counts ${counts}`);
        strict_1.default.ok(counts[0] > 5 && counts[0] < 30, `a sane number of statements: ${counts[0]}`);
    });
    (0, node_test_1.test)('pages through all orders with cursors, newest first, without gaps or repeats', async () => {
        const seen = [];
        let after = null;
        for (;;) {
            const r = await t.gql('SUPPORT', 'query($after: String) { orders(first: 30, after: $after) { pageInfo { hasNextPage endCursor } nodes { id createdAt } } }', { after });
            seen.push(...r.data.orders.nodes.map((n) => n.id));
            if (!r.data.orders.pageInfo.hasNextPage)
                break;
            after = r.data.orders.pageInfo.endCursor;
        }
        strict_1.default.equal(seen.length, 100);
        strict_1.default.deepEqual(new Set(seen), new Set(ids));
    });
    (0, node_test_1.test)('filters by pending refund, status and currency', async () => {
        const pending = await t.gql('SUPPORT', '{ orders(first: 100, filter: { hasPendingRefund: true }) { nodes { id pendingRefunds { totalPending { amount } } } } }');
        strict_1.default.equal(pending.data.orders.nodes.length, 34);
        for (const n of pending.data.orders.nodes)
            strict_1.default.equal(n.pendingRefunds.totalPending.amount, '5.00');
        const none = await t.gql('SUPPORT', '{ orders(first: 100, filter: { hasPendingRefund: false }) { nodes { id } } }');
        strict_1.default.equal(none.data.orders.nodes.length, 66);
        const usd = await t.gql('SUPPORT', '{ orders(first: 10, filter: { currencyCode: USD }) { nodes { id } } }');
        strict_1.default.equal(usd.data.orders.nodes.length, 0);
        const confirmed = await t.gql('SUPPORT', '{ orders(first: 5, filter: { status: [CONFIRMED] }) { nodes { status } } }');
        strict_1.default.equal(confirmed.data.orders.nodes.length, 5);
    });
    (0, node_test_1.test)('an order shows its money state from all three systems', async () => {
        const r = await t.gql('ADMIN', `query($id: ID!) { order(id: $id) { customerId total { amount currencyCode }
      settlementLines { kind gross { amount } } erpPostings { kind externalRef }
      moneyState { captured { amount } settled { amount } postedToErp { amount } outstanding { amount } } } }`, { id: ids[0] });
        const o = r.data.order;
        strict_1.default.equal(o.customerId, 'customer-0000');
        strict_1.default.deepEqual(o.total, { amount: '10.00', currencyCode: 'EUR' });
        strict_1.default.deepEqual(o.settlementLines.map((l) => [l.kind, l.gross.amount]), [['CAPTURE', '10.00']]);
        strict_1.default.deepEqual(o.moneyState, { captured: { amount: '10.00' }, settled: { amount: '10.00' }, postedToErp: { amount: '10.00' }, outstanding: { amount: '0.00' } });
    });
    (0, node_test_1.test)('support sees customer identifiers masked', async () => {
        const r = await t.gql('SUPPORT', 'query($id: ID!) { order(id: $id) { customerId payments { customerId } } }', { id: ids[5] });
        strict_1.default.equal(r.data.order.customerId, '****0005');
        strict_1.default.equal(r.data.order.payments[0].customerId, '****0005');
    });
});
(0, node_test_1.describe)('bad input', () => {
    (0, node_test_1.test)('first over the cap is a clear BAD_USER_INPUT', async () => {
        const r = await t.gql('SUPPORT', '{ orders(first: 101) { nodes { id } } }');
        strict_1.default.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
        strict_1.default.match(r.errors[0].message, /at most 100/);
        const neg = await t.gql('SUPPORT', '{ orders(first: -1) { nodes { id } } }');
        strict_1.default.equal(neg.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    });
    (0, node_test_1.test)('an invalid cursor is BAD_USER_INPUT', async () => {
        for (const after of ['nonsense', Buffer.from('[1]').toString('base64url'), Buffer.from('["not a date","x"]').toString('base64url')]) {
            const r = await t.gql('SUPPORT', 'query($a: String) { orders(after: $a) { nodes { id } } }', { a: after });
            strict_1.default.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT', after);
        }
    });
    (0, node_test_1.test)('unknown ids answer null', async () => {
        const r = await t.gql('SUPPORT', '{ order(id: "nope") { id } invoice(id: "nope") { id } payment(id: "nope") { id } refund(id: "nope") { id } capture(id: "nope") { id } settlement(id: "nope") { id } pendingRefunds(orderId: "nope") { orderId } }');
        strict_1.default.equal(r.errors, undefined);
        strict_1.default.deepEqual(Object.values(r.data), [null, null, null, null, null, null, null]);
    });
    (0, node_test_1.test)('a malformed query gets a GraphQL validation error and no internals', async () => {
        const r = await t.gql('SUPPORT', '{ order(id: "x") { nope } }');
        strict_1.default.equal(r.errors?.[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
        const p = await t.gql('SUPPORT', '{ order(id: ');
        strict_1.default.equal(p.errors?.[0].extensions?.code, 'GRAPHQL_PARSE_FAILED');
        strict_1.default.doesNotMatch(JSON.stringify([r, p]), /stack|SELECT|at .*\.js/);
    });
    (0, node_test_1.test)('an inverted created range is BAD_USER_INPUT', async () => {
        const r = await t.gql('SUPPORT', '{ orders(filter: { createdFrom: "2026-02-01T00:00:00Z", createdTo: "2026-01-01T00:00:00Z" }) { nodes { id } } }');
        strict_1.default.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    });
});
//# sourceMappingURL=orders-query.test.js.map