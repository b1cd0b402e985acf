import DataLoader from 'dataloader';
import { EntityTarget, In, ObjectLiteral } from 'typeorm';
import { RequestContext } from '../db/context';

/**
 * Loaders return results in key order through a Map; a missing one-to-one is null and a missing
 * list is []. Batches are capped so one `IN (…)` never grows without bound.
 */
export function oneLoader<K extends string, E extends ObjectLiteral>(ctx: RequestContext, entity: EntityTarget<E>, column: keyof E & string): DataLoader<K, E | null> {
  return new DataLoader<K, E | null>(
    async (keys) => {
      const rows = await ctx.manager.getRepository(entity).find({ where: { [column]: In(keys as K[]) } as never });
      const byKey = new Map<unknown, E>(rows.map((r) => [r[column], r]));
      return keys.map((k) => byKey.get(k) ?? null);
    },
    { maxBatchSize: ctx.app.config.loaderMaxBatch },
  );
}

export function manyLoader<K extends string, E extends ObjectLiteral>(
  ctx: RequestContext,
  entity: EntityTarget<E>,
  column: keyof E & string,
  order: Partial<Record<keyof E & string, 'ASC' | 'DESC'>>,
): DataLoader<K, E[]> {
  return new DataLoader<K, E[]>(
    async (keys) => {
      const rows = await ctx.manager.getRepository(entity).find({ where: { [column]: In(keys as K[]) } as never, order: order as never });
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
