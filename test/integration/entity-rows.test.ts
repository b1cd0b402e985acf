/**
 * Rows read with plain SQL become the same entities TypeORM's own reads make (src/db/entity-rows.ts):
 * every entity of the schema, on the demo's data — money as bigint, times as Date, JSON parsed,
 * booleans, nulls — column for column, and as instances of the entity's class.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectLiteral } from 'typeorm';
import { hydrate, hydrateRows } from '../../src/db/entity-rows';
import { drainOutbox } from '../../src/outbox';
import { seedDemo } from '../../scripts/demo-data';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await seedDemo(t.sims, 6);
  for (let i = 0; i < 50 && (await drainOutbox(t.app.services)).done > 0; i++);
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

test('every entity: hydrateRows and hydrate give what a repository find() gives, for every column', async () => {
  const manager = t.dataSource.manager;
  let compared = 0;
  const kinds = new Set<string>();
  for (const meta of t.dataSource.entityMetadatas) {
    const order = Object.fromEntries(meta.primaryColumns.map((c) => [c.propertyName, 'ASC' as const]));
    const orderBy = meta.primaryColumns.map((c) => `\`${c.databaseName}\` ASC`).join(', ');
    const rows = (await manager.query(`SELECT * FROM \`${meta.tableName}\` ORDER BY ${orderBy}`)) as Record<string, unknown>[];
    const found = (await manager.find(meta.target, { order })) as ObjectLiteral[];
    const hydrated = hydrateRows(manager, meta.target, rows);
    assert.equal(hydrated.length, found.length, meta.tableName);
    hydrated.forEach((entity, i) => {
      assert.ok(entity instanceof (meta.target as new () => object), `${meta.tableName}: an instance of the entity`);
      const one = hydrate(manager, meta.target, rows[i]!);
      for (const col of meta.columns) {
        const expected = col.getEntityValue(found[i]!);
        assert.deepEqual(col.getEntityValue(entity), expected, `${meta.tableName}.${col.databaseName}`);
        assert.deepEqual(col.getEntityValue(one), expected, `${meta.tableName}.${col.databaseName} (hydrate)`);
        if (expected !== null && expected !== undefined) kinds.add(typeof expected === 'object' ? (expected instanceof Date ? 'Date' : 'object') : typeof expected);
      }
    });
    compared += hydrated.length;
  }
  // The demo's data reaches the conversions that matter: a check over empty tables would prove nothing.
  assert.ok(compared > 100, `rows compared: ${compared}`);
  for (const kind of ['bigint', 'string', 'Date', 'boolean']) assert.ok(kinds.has(kind), `a ${kind} column was compared (${[...kinds].join(', ')})`);
});
