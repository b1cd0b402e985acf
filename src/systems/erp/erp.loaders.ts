import { RequestContext } from '../../db/context';
import { manyLoader } from '../../graphql/loader-utils';
import { ErpPostingEntity } from './entities';

export function createErpLoaders(ctx: RequestContext) {
  return {
    erpPostingsByOrderId: manyLoader<string, ErpPostingEntity>(ctx, ErpPostingEntity, 'orderId', { postedAt: 'ASC', id: 'ASC' }),
  };
}

declare module '../../graphql/context' {
  interface Loaders extends ReturnType<typeof createErpLoaders> {}
}
