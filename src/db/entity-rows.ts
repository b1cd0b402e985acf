/**
 * Entities to and from plain rows, converted exactly as TypeORM converts them itself (the driver's
 * hydration and each column's transformer: bigint ⇄ BIGINT …). Hot paths send one hand-written
 * statement where a repository call would build its SQL anew on every call.
 */
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
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

/** Entities from rows read with plain SQL (`SELECT * …`), the entity's columns looked up once for all of them. */
export function hydrateRows<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: Record<string, unknown>[]): T[] {
  if (rows.length === 0) return [];
  const meta = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = meta.columns;
  for (const col of columns) if (!(col.databaseName in rows[0]!)) throw new Error(`${meta.tableName}.${col.databaseName} is missing from the row`);
  return rows.map((row) => {
    const entity = meta.create() as T;
    for (const col of columns) col.setEntityValue(entity, driver.prepareHydratedValue(row[col.databaseName], col));
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
