/** What the migrations and the entities say about character sets, for the schema tests. */
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';

/** What src/db/columns.ts (stringColumn) and the migrations declare; stated here on its own. */
const TEXT_CHARSET = 'utf8mb4';
const TEXT_COLLATION = 'utf8mb4_bin';

/** TypeORM's own bookkeeping table: created by TypeORM with the database default, holds ASCII names. */
const NOT_OURS = new Set(['migrations']);

/**
 * Every application table and every text column in it is utf8mb4/utf8mb4_bin in the database; the
 * tables are exactly the entities' tables; every text column of every entity declares the same
 * charset and collation (TypeORM's schema builder does not compare charsets, so this does).
 */
export async function assertUtf8mb4Everywhere(ds: DataSource): Promise<{ tables: number; textColumns: number }> {
  const tables: { TABLE_NAME: string; TABLE_COLLATION: string }[] = await ds.query(
    `SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`,
  );
  const ours = tables.filter((t) => !NOT_OURS.has(t.TABLE_NAME));
  assert.deepEqual(
    ours.map((t) => t.TABLE_NAME),
    ds.entityMetadatas.map((m) => m.tableName).sort(),
    'the migrated tables are the entities’ tables',
  );
  for (const t of ours) assert.equal(t.TABLE_COLLATION, TEXT_COLLATION, `${t.TABLE_NAME}: table default collation`);

  const cols: { TABLE_NAME: string; COLUMN_NAME: string; DATA_TYPE: string; CHARACTER_SET_NAME: string; COLLATION_NAME: string }[] = await ds.query(
    `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = DATABASE() AND CHARACTER_SET_NAME IS NOT NULL ORDER BY TABLE_NAME, COLUMN_NAME`,
  );
  const text = cols.filter((c) => !NOT_OURS.has(c.TABLE_NAME));
  assert.ok(text.length > 50, `text columns found: ${text.length}`);
  const wrong = text.filter((c) => c.CHARACTER_SET_NAME !== TEXT_CHARSET || c.COLLATION_NAME !== TEXT_COLLATION);
  assert.deepEqual(
    wrong.map((c) => `${c.TABLE_NAME}.${c.COLUMN_NAME} ${c.CHARACTER_SET_NAME}/${c.COLLATION_NAME}`),
    [],
    'text columns not utf8mb4_bin',
  );

  const inDb = new Set(text.map((c) => `${c.TABLE_NAME}.${c.COLUMN_NAME}`));
  const declared = ds.entityMetadatas.flatMap((m) => m.columns.map((c) => ({ key: `${m.tableName}.${c.databaseName}`, charset: c.charset, collation: c.collation })));
  const undeclared = declared.filter((c) => inDb.has(c.key) && (c.charset !== TEXT_CHARSET || c.collation !== TEXT_COLLATION));
  assert.deepEqual(
    undeclared.map((c) => `${c.key} ${c.charset}/${c.collation}`),
    [],
    'entity text columns must declare utf8mb4/utf8mb4_bin (stringColumn)',
  );
  assert.equal(declared.filter((c) => inDb.has(c.key)).length, text.length, 'every text column in the database is an entity column');
  return { tables: ours.length, textColumns: text.length };
}
