import DataLoader from 'dataloader';
import { RequestContext } from '../db/context';
import { MoneyExceptionEntity } from './entities';
import { exceptionsOfOrders } from './exceptions.service';

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
  };
}
