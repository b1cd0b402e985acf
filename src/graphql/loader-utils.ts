import DataLoader from 'dataloader';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { RequestContext } from '../db/context';
import { hydrateRows } from '../db/entity-rows';

type Order<E> = Partial<Record<keyof E & string, 'ASC' | 'DESC'>>;

/**
 * The statement of a loader, built once per process: `SELECT * … WHERE <column> IN (?)`, ordered
 * as given. A repository `find()` would rebuild (and re-alias) the same SQL on every batch.
 */
const statements = new Map<string, string>();

function selectWhereIn<E extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<E>, column: keyof E & string, order: Order<E>): string {
  const meta = manager.connection.getMetadata(entity);
  const key = `${meta.tableName}|${column}|${JSON.stringify(order)}`;
  let sql = statements.get(key);
  if (sql === undefined) {
    const name = (prop: string) => {
      const col = meta.findColumnWithPropertyName(prop);
      if (!col) throw new Error(`${meta.tableName} has no column for ${prop}`);
      return `\`${col.databaseName}\``;
    };
    const orderBy = Object.entries(order).map(([prop, dir]) => `${name(prop)} ${dir === 'DESC' ? 'DESC' : 'ASC'}`);
    sql = `SELECT * FROM \`${meta.tableName}\` WHERE ${name(column)} IN (?)${orderBy.length ? ` ORDER BY ${orderBy.join(', ')}` : ''}`;
    statements.set(key, sql);
  }
  return sql;
}

async function load<E extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<E>, column: keyof E & string, order: Order<E>, keys: readonly string[]): Promise<E[]> {
  const manager = ctx.manager;
  const rows = (await manager.query(selectWhereIn(manager, entity, column, order), [keys])) as Record<string, unknown>[];
  return hydrateRows(manager, entity, rows);
}

/**
 * Loaders return results in key order through a Map; a missing one-to-one is null and a missing
 * list is []. Batches are capped so one `IN (…)` never grows without bound.
 */
export function oneLoader<K extends string, E extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<E>, column: keyof E & string): DataLoader<K, E | null> {
  return new DataLoader<K, E | null>(
    async (keys) => {
      const rows = await load(ctx, entity, column, {}, keys);
      const byKey = new Map<unknown, E>(rows.map((r) => [r[column], r]));
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { maxBatchSize: ctx.app.config.loaderMaxBatch },
  );
}

export function manyLoader<K extends string, E extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<E>, column: keyof E & string, order: Order<E>): DataLoader<K, E[]> {
  return new DataLoader<K, E[]>(
    async (keys) => {
      const rows = await load(ctx, entity, column, order, keys);
      const byKey = new Map<unknown, E[]>();
      for (const r of rows) {
        const list = byKey.get(r[column]);
        if (list) list.push(r);
        else byKey.set(r[column], [r]);
      }
      return keys.map((k) => byKey.get(k) ?? []);
    },
    { maxBatchSize: ctx.app.config.loaderMaxBatch },
  );
}
