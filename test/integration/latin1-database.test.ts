/**
 * A database whose default character set is latin1 (a stock MariaDB's): the migrations make every
 * table utf8mb4/utf8mb4_bin explicitly, the entities agree, and the service then stores and finds
 * non-Latin-1 text — order ids, interaction messages, invoice numbers, decision notes — exactly,
 * and keeps ids that differ only by case apart.
 */
import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { assertUtf8mb4Everywhere } from '../support/charset';
import { call } from '../support/drive';
import { DECIDE_EXCEPTION, EXCEPTIONS_QUERY, UNLIMITED_GRAPHQL } from '../support/recon';
import { createTestApp, createTestDatabase, migratedDataSource, stopTestServer, TestApp, TestDatabase } from '../support/test-app';

const suffix = `${process.pid}`;

after(async () => {
  await stopTestServer();
});

describe('migrations on a latin1 database', () => {
  let db: TestDatabase;
  let ds: DataSource;
  before(async () => {
    db = await createTestDatabase({ charset: 'latin1' });
    ds = await migratedDataSource(db.url);
  });
  after(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  test('the database default is latin1, yet every table and text column is utf8mb4/utf8mb4_bin', async () => {
    const [schema] = await ds.query(`SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()`);
    assert.deepEqual({ ...schema }, { cs: 'latin1', co: 'latin1_swedish_ci' });
    const seen = await assertUtf8mb4Everywhere(ds);
    console.log(`latin1 database: ${seen.tables} tables, ${seen.textColumns} text columns, all utf8mb4/utf8mb4_bin`);
  });

  test('entities and migrations agree: the schema builder finds nothing to change', async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    assert.deepEqual(
      sql.upQueries.map((q) => q.query),
      [],
    );
  });

  test('reverting every migration and re-applying them leaves the same schema', async () => {
    const applied: { name: string }[] = await ds.query('SELECT name FROM migrations');
    for (let i = 0; i < applied.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    await ds.runMigrations({ transaction: 'each' });
    await assertUtf8mb4Everywhere(ds);
    const sql = await ds.driver.createSchemaBuilder().log();
    assert.deepEqual(
      sql.upQueries.map((q) => q.query),
      [],
    );
  });
});

describe('the service on a latin1 database', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({
      charset: 'latin1',
      env: { AUTO_REFUND_INPUT_INVOICES: 'false', EXCEPTIONS_STALE_SECONDS: '0', UPSTREAM_RETRIES: '0', GRAPHQL_LIMITS: UNLIMITED_GRAPHQL },
    });
  });
  after(async () => {
    await t?.close();
  });

  const ORDER = `query($id: ID!) { order(id: $id) { id status total { amount currencyCode }
    invoices { id number } interactions { id kind message source } } }`;

  test('an OMS order with a Cyrillic id arrives by its webhook and is found by order(id:), with its invoice and interaction', async () => {
    const orderId = `заказ-1-${suffix}`;
    const created = await call(t.sims.urls.oms, 'POST', '/orders', { id: orderId, currency: 'EUR', total: '1999', status: 'CONFIRMED' });
    assert.equal(created.id, orderId);
    const path = `/orders/${encodeURIComponent(orderId)}`;
    await call(t.sims.urls.oms, 'POST', `${path}/invoices`, { kind: 'OUTPUT', amount: '1999', number: `СЧЁТ-№1-${suffix}` });
    await call(t.sims.urls.oms, 'POST', `${path}/interactions`, { id: `связь-${suffix}`, kind: 'Звонок', message: 'Клиент доволен 😀 — «спасибо»' });
    const failed = t.sims.oms.webhooks.deliveries.filter((d) => d.status !== 200);
    assert.deepEqual(failed, [], 'every OMS webhook answered 200');

    const r = await t.gql('SUPPORT', ORDER, { id: orderId });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(r.data.order.id, orderId);
    assert.equal(r.data.order.status, 'CONFIRMED');
    assert.deepEqual(r.data.order.total, { amount: '19.99', currencyCode: 'EUR' });
    assert.deepEqual(
      r.data.order.invoices.map((i: any) => i.number),
      [`СЧЁТ-№1-${suffix}`],
    );
    const call1 = r.data.order.interactions.find((i: any) => i.id === `связь-${suffix}`);
    assert.deepEqual(call1, { id: `связь-${suffix}`, kind: 'Звонок', message: 'Клиент доволен 😀 — «спасибо»', source: 'OMS' });
    const inv = await t.gql('SUPPORT', 'query($id: ID!) { invoice(id: $id) { number orderId } }', { id: `СЧЁТ-№1-${suffix}` });
    assert.equal(inv.errors, undefined, JSON.stringify(inv.errors));
    assert.deepEqual(inv.data.invoice, { number: `СЧЁТ-№1-${suffix}`, orderId });
  });

  test('a non-Latin-1 id that does not exist is null, not an error', async () => {
    const r = await t.gql(
      'SUPPORT',
      '{ order(id: "нет-такого-😀") { id } invoice(id: "счёт-😀") { id } refund(id: "возврат-😀") { id } pendingRefunds(orderId: "нет-такого-😀") { orderId } }',
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.deepEqual(r.data, { order: null, invoice: null, refund: null, pendingRefunds: null });
  });

  /** An authorization whose order the OMS never created: an AUTHORIZED_ORDER_NOT_CREATED exception. */
  async function authorizedWithoutOrder(orderId: string) {
    const p = await call(t.sims.urls.psp, 'POST', '/payments', { orderId, amount: '4200', currency: 'EUR' });
    const listed = await t.gql('SUPPORT', EXCEPTIONS_QUERY, { filter: { orderId, kinds: ['AUTHORIZED_ORDER_NOT_CREATED'] }, first: 10 });
    assert.equal(listed.errors, undefined, JSON.stringify(listed.errors));
    const [e] = listed.data.moneyExceptions.edges.map((x: any) => x.node);
    assert.ok(e, 'the authorization without an order is an exception');
    assert.equal(e.orderId, orderId);
    assert.equal(e.evidence.pspReference, p.id);
    return e;
  }

  test('an authorization for a Cyrillic order id the OMS never created is an exception found by that order id', async () => {
    const e = await authorizedWithoutOrder(`заказ-без-oms-${suffix}`);
    assert.match(e.detail, new RegExp(`заказ-без-oms-${suffix}`));
  });

  test('a decision note in Cyrillic with an emoji is stored and read back exactly', async () => {
    const orderId = `ord-auth-${suffix}`;
    const e = await authorizedWithoutOrder(orderId);

    const note = 'Решено 👍 — заказ восстановлен';
    const d = await t.gql('ADMIN', DECIDE_EXCEPTION, { input: { exceptionId: e.id, decision: 'REPAIR_ORDER', note } });
    assert.equal(d.errors, undefined, JSON.stringify(d.errors));
    assert.deepEqual(d.data.decideException.userErrors, []);
    assert.equal(d.data.decideException.exception.decision.note, note);

    const again = await t.gql('SUPPORT', EXCEPTIONS_QUERY, { filter: { orderId, status: ['OPEN', 'DECIDED', 'RESOLVED'] }, first: 10 });
    assert.equal(again.errors, undefined, JSON.stringify(again.errors));
    assert.equal(again.data.moneyExceptions.edges[0].node.decision.note, note);
    const [row] = await t.dataSource.query('SELECT decision_note FROM money_exception WHERE id = ?', [e.id]);
    assert.equal(row.decision_note, note);
  });

  test('two webhook events whose ids differ only by case are two events, both applied', async () => {
    // As the OMS simulator sends them, but with the event ids chosen.
    const event = (eventId: string, orderId: string) =>
      t.sims.oms.webhooks.emit(
        'order.upserted',
        {
          id: eventId,
          type: 'order.upserted',
          occurredAt: new Date().toISOString(),
          data: { order: { id: orderId, status: 'CREATED', currency: 'EUR', total: '500', customerId: null, createdAt: new Date().toISOString(), version: 1 } },
        },
        eventId,
      );
    const [a, b] = [`ord-case-a-${suffix}`, `ord-case-b-${suffix}`];
    await event(`evt_AB_${suffix}`, a);
    await event(`evt_ab_${suffix}`, b);
    const stored: { event_id: string; status: string }[] = await t.dataSource.query(
      `SELECT event_id, status FROM webhook_event WHERE source = 'OMS' AND event_id IN (?, ?) ORDER BY event_id`,
      [`evt_AB_${suffix}`, `evt_ab_${suffix}`],
    );
    assert.deepEqual(
      stored.map((s) => ({ ...s })),
      [
        { event_id: `evt_AB_${suffix}`, status: 'PROCESSED' },
        { event_id: `evt_ab_${suffix}`, status: 'PROCESSED' },
      ],
    );
    for (const id of [a, b]) {
      const r = await t.gql('SUPPORT', 'query($id: ID!) { order(id: $id) { id } }', { id });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      assert.equal(r.data.order?.id, id, `order ${id} arrived`);
    }
  });
});
