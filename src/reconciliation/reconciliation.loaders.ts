import DataLoader from 'dataloader';
import { RequestContext } from '../db/context';
import { manyLoader } from '../graphql/loader-utils';
import { ExceptionDecisionEntity } from './exception-decision.entity';
import { MoneyExceptionEntity } from './entities';
import { exceptionsOfOrders } from './exceptions.service';
import { listRunsVariances, VarianceRow } from './reconciliation.service';

export function createReconciliationLoaders(ctx: RequestContext) {
  return {
    exceptionsByOrderId: new DataLoader<string, MoneyExceptionEntity[]>(
      async (orderIds) => {
        const rows = await exceptionsOfOrders(ctx, orderIds);
        const byOrder = new Map<string, MoneyExceptionEntity[]>();
        for (const r of rows) byOrder.set(r.orderId!, [...(byOrder.get(r.orderId!) ?? []), r]);
        return orderIds.map((id) => byOrder.get(id) ?? []);
      },
      { maxBatchSize: ctx.app.config.loaderMaxBatch },
    ),
    /** Every decision of an exception, oldest first. */
    decisionsByExceptionId: manyLoader<string, ExceptionDecisionEntity>(ctx, ExceptionDecisionEntity, 'exceptionId', { id: 'ASC' }),
    /** Keyed by run id, page size and cursor: a page of runs asking for the same page is one statement. */
    variancesByRunPage: new DataLoader<string, VarianceRow[]>(
      async (keys) => {
        const groups = new Map<string, string[]>();
        for (const k of keys) {
          const [runId, page] = splitKey(k);
          groups.set(page, [...(groups.get(page) ?? []), runId]);
        }
        const results = new Map<string, VarianceRow[]>();
        for (const [page, runIds] of groups) {
          const { size, after } = JSON.parse(page) as { size: number; after: string | null };
          for (const [runId, rows] of await listRunsVariances(ctx, runIds, size, after)) results.set(variancePageKey(runId, size, after), rows);
        }
        return keys.map((k) => results.get(k) ?? []);
      },
      { maxBatchSize: ctx.app.config.loaderMaxBatch },
    ),
  };
}

export const variancePageKey = (runId: string, size: number, after: string | null) => `${runId}\u0000${JSON.stringify({ size, after })}`;
const splitKey = (k: string): [string, string] => {
  const i = k.indexOf('\u0000');
  return [k.slice(0, i), k.slice(i + 1)];
};

declare module '../graphql/context' {
  interface Loaders extends ReturnType<typeof createReconciliationLoaders> {}
}
