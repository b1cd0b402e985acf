import { RequestContext } from '../db/context';
import { createOmsLoaders } from '../systems/oms/oms.loaders';
import { createPspLoaders } from '../systems/psp/psp.loaders';
import { createErpLoaders } from '../systems/erp/erp.loaders';
import { createRefundLoaders } from '../refunds/refund.loaders';
import { createReconciliationLoaders } from '../reconciliation/reconciliation.loaders';

/** One fresh loader set per request: nothing cached outlives it. */
export function createLoaders(ctx: RequestContext) {
  return {
    ...createOmsLoaders(ctx),
    ...createPspLoaders(ctx),
    ...createErpLoaders(ctx),
    ...createRefundLoaders(ctx),
    ...createReconciliationLoaders(ctx),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export interface GqlContext {
  ctx: RequestContext;
  loaders: Loaders;
  /** Extension data reported back to the client (cost budget, request id). */
  extensions: Record<string, unknown>;
}

export function createGqlContext(ctx: RequestContext): GqlContext {
  return { ctx, loaders: createLoaders(ctx), extensions: { requestId: ctx.requestId } };
}
