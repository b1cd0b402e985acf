import DataLoader from 'dataloader';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { RequestContext } from '../db/context';
import { hydrateRows } from '../db/entity-rows';
import { readTogether } from '../db/read-batch';

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
  const rows = (await readTogether(ctx, selectWhereIn(manager, entity, column, order), [keys], keys.length)) as Record<string, unknown>[];
  return hydrateRows(manager, entity, rows);
}

/**
 * A DataLoader that also answers synchronously for a key its batch has already answered
 * (`peek`). A resolver that finds its value there returns it as it is: no promise, no turn of the
 * event loop. What it has answered comes first for `load` too; `clear`, `clearAll` and `prime`
 * keep it in step with the loader's cache, and `readAhead` loads a page's keys without a promise
 * per key.
 */
export class PeekableLoader<K, V> extends DataLoader<K, V> {
  private readonly answered: Map<K, V>;
  /** DataLoader's own cache: a key in it has been asked for (its batch may still be running). */
  private readonly cache: Map<K, Promise<V>>;
  private readonly batch: (keys: readonly K[]) => Promise<V[]>;
  private readonly maxBatch: number;

  constructor(batch: (keys: readonly K[]) => Promise<V[]>, maxBatchSize: number) {
    const answered = new Map<K, V>();
    const cache = new Map<K, Promise<V>>();
    super(
      async (keys) => {
        const values = await batch(keys);
        keys.forEach((k, i) => answered.set(k, values[i]!));
        return values;
      },
      { maxBatchSize, cacheMap: cache },
    );
    this.answered = answered;
    this.cache = cache;
    this.batch = batch;
    this.maxBatch = maxBatchSize;
  }

  /** The value for `key` when a batch has answered it; `undefined` when not (yet). */
  peek(key: K): V | undefined {
    return this.answered.get(key);
  }

  /** The value for `key`: at once when a batch has answered it, else through the loader. */
  now(key: K): V | Promise<V> {
    const v = this.answered.get(key);
    return v !== undefined ? v : this.load(key);
  }

  override load(key: K): Promise<V> {
    const v = this.answered.get(key);
    return v !== undefined ? Promise.resolve(v) : super.load(key);
  }

  override clear(key: K): this {
    this.answered.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.answered.clear();
    return super.clearAll();
  }

  /** Whether `key` has a value or a batch on its way: answered, or in DataLoader's cache. */
  private asked(key: K): boolean {
    return this.answered.has(key) || this.cache.has(key);
  }

  /** As DataLoader's: a key already loaded keeps its value (clear it first to replace it). */
  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (this.answered.has(key) && !this.cache.has(key)) return this;
    this.answered.delete(key);
    return super.prime(key, value);
  }

  /**
   * Answers `key` with `value` read by another statement, as this loader's own batch would have.
   * A key already asked for keeps what it has or will have, so one request never sees two
   * values for it.
   */
  answer(key: K, value: V): this {
    if (!this.asked(key)) this.answered.set(key, value);
    return this;
  }

  /**
   * Loads `keys` not yet asked for, straight through the batch function in batches of the
   * loader's size, and answers them: what `loadMany` does, without its promises for each key.
   * A failed batch leaves its error in the cache for each of its keys, as `loadMany` would: the
   * field that reads one meets it there. Never rejects.
   */
  async readAhead(keys: readonly K[]): Promise<void> {
    const todo = [...new Set(keys)].filter((k) => !this.asked(k));
    const batches: K[][] = [];
    for (let i = 0; i < todo.length; i += this.maxBatch) batches.push(todo.slice(i, i + this.maxBatch));
    await Promise.all(
      batches.map(async (batch) => {
        try {
          const values = await this.batch(batch);
          batch.forEach((k, i) => this.answer(k, values[i]!));
        } catch (err) {
          for (const k of batch) if (!this.asked(k)) super.prime(k, err instanceof Error ? err : new Error(String(err)));
        }
      }),
    );
  }
}

/** `f` of the value: at once for a value, after it for a promise. */
export function mapNow<T, R>(v: T | Promise<T>, f: (v: T) => R): R | Promise<R> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** `f` of the values: at once when every one is a value, else after all of them. */
export function allNow<T extends readonly unknown[], R>(vs: { [I in keyof T]: T[I] | Promise<T[I]> }, f: (vs: T) => R): R | Promise<R> {
  return vs.some((v) => v instanceof Promise) ? Promise.all(vs).then((all) => f(all as unknown as T)) : f(vs as unknown as T);
}

/**
 * Loaders return results in key order through a Map; a missing one-to-one is null and a missing
 * list is []. Batches are capped so one `IN (…)` never grows without bound.
 */
export function oneLoader<K extends string, E extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<E>, column: keyof E & string): PeekableLoader<K, E | null> {
  return new PeekableLoader<K, E | null>(async (keys) => {
    const rows = await load(ctx, entity, column, {}, keys);
    const byKey = new Map<unknown, E>(rows.map((r) => [r[column], r]));
    return keys.map((k) => byKey.get(k) ?? null);
  }, ctx.app.config.loaderMaxBatch);
}

export function manyLoader<K extends string, E extends ObjectLiteral>(
  ctx: RequestContext,
  entity: EntityTarget<E>,
  column: keyof E & string,
  order: Order<E>,
): PeekableLoader<K, E[]> {
  return new PeekableLoader<K, E[]>(async (keys) => {
    const rows = await load(ctx, entity, column, order, keys);
    const byKey = new Map<unknown, E[]>();
    for (const r of rows) {
      const list = byKey.get(r[column]);
      if (list) list.push(r);
      else byKey.set(r[column], [r]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  }, ctx.app.config.loaderMaxBatch);
}
