/**
 * Entities to and from plain rows, converted exactly as TypeORM converts them itself (the driver's
 * hydration and each column's transformer: bigint ⇄ BIGINT …). Hot paths send one hand-written
 * statement where a repository call would build its SQL anew on every call.
 */
import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { RequestContext } from './context';
import { insertRow, insertRowLater } from './upsert';

/** An entity from a row read with plain SQL (`SELECT * …`); every column must be in the row. */
export function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const meta = manager.connection.getMetadata(target);
  const entity = meta.create() as T;
  for (const col of meta.columns) {
    if (!(col.databaseName in row)) throw new Error(`${meta.tableName}.${col.databaseName} is missing from the row`);
    col.setEntityValue(entity, manager.connection.driver.prepareHydratedValue(row[col.databaseName], col));
  }
  return entity;
}

/** Column types whose values TypeORM's MySQL driver converts on the way in (MysqlDriver.prepareHydratedValue). */
const CONVERTED_TYPES = new Set<unknown>([
  Boolean,
  'bool',
  'boolean',
  'datetime',
  Date,
  'date',
  'json',
  'time',
  'simple-array',
  'simple-json',
  'enum',
  'simple-enum',
  'set',
  Number,
]);

interface RowMapper {
  columns: ColumnMetadata[];
  /** Whether the entity is a plain class with plain properties: `new` and an assignment per column. */
  plain: boolean;
  convert: ((v: unknown) => unknown)[];
}

const mappers = new WeakMap<EntityMetadata, RowMapper>();

/**
 * How rows become entities of one kind, worked out once: each column's conversion (none where the
 * driver would return the value as mysql2 gave it and no transformer applies), and whether the
 * entity can be built without TypeORM's generic path (no embedded columns, relations or lazy loading).
 */
function mapperFor(manager: EntityManager, meta: EntityMetadata): RowMapper {
  let m = mappers.get(meta);
  if (m) return m;
  const driver = manager.connection.driver;
  const columns = meta.columns;
  m = {
    columns,
    plain:
      typeof meta.target === 'function' &&
      meta.lazyRelations.length === 0 &&
      !manager.connection.options.typename &&
      columns.every((c) => !c.embeddedMetadata && !c.relationMetadata),
    convert: columns.map((col) => (!CONVERTED_TYPES.has(col.type) && !col.transformer ? (v: unknown) => v : (v: unknown) => driver.prepareHydratedValue(v, col))),
  };
  mappers.set(meta, m);
  return m;
}

/** Entities from rows read with plain SQL (`SELECT * …`), converted as TypeORM converts them, the entity's columns looked up once for all of them. */
export function hydrateRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Record<string, unknown>[]): T[] {
  if (rows.length === 0) return [];
  const meta = manager.connection.getMetadata(target);
  const { columns, plain, convert } = mapperFor(manager, meta);
  for (const col of columns) if (!(col.databaseName in rows[0]!)) throw new Error(`${meta.tableName}.${col.databaseName} is missing from the row`);
  const n = columns.length;
  if (plain) {
    const Target = meta.target as new () => T;
    const names = columns.map((c) => c.databaseName);
    const props = columns.map((c) => c.propertyName);
    return rows.map((row) => {
      const entity = new Target() as Record<string, unknown>;
      for (let i = 0; i < n; i++) entity[props[i]!] = convert[i]!(row[names[i]!]);
      return entity as T;
    });
  }
  return rows.map((row) => {
    const entity = meta.create() as T;
    for (let i = 0; i < n; i++) columns[i]!.setEntityValue(entity, convert[i]!(row[columns[i]!.databaseName]));
    return entity;
  });
}

/**
 * Inserts the entity as one row (every column); a duplicate key fails with ER_DUP_ENTRY. `later`:
 * the row travels with the transaction's next statement (RequestContext.later), for a row with a
 * fresh key that nothing checks.
 */
export async function insertEntity<T extends ObjectLiteral>(tx: RequestContext, target: EntityTarget<T>, entity: T, opts: { later?: boolean } = {}): Promise<void> {
  const meta = tx.manager.connection.getMetadata(target);
  const row: Record<string, unknown> = {};
  for (const col of meta.columns) {
    if (col.isGenerated) continue;
    const v = col.getEntityValue(entity, true);
    row[col.databaseName] = v === undefined ? null : v;
  }
  await (opts.later ? insertRowLater : insertRow)(tx, meta.tableName, row);
}

/** A JSON value computed in SQL (JSON_OBJECT, JSON_ARRAYAGG): MariaDB hands it back as text, MySQL parsed; no rows is NULL. */
export function jsonValue<T>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/** Orders rows by a `DATE_FORMAT(…, '%Y-%m-%d %H:%i:%s.%f')` time, then by id: oldest first. */
export function byTimeThenId(a: { at: string; id: string }, b: { at: string; id: string }): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
