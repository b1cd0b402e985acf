import { RequestContext } from '../../db/context';
import { decodeTimeCursor } from '../../shared/cursor';
import { SettlementEntity } from './entities';

export interface SettlementFilter {
  settledFrom?: Date | null;
  settledTo?: Date | null;
  currencyCode?: string | null;
}

/** Newest first; fetches one row more than asked so the caller knows whether a next page exists. */
export async function listSettlements(ctx: RequestContext, filter: SettlementFilter, size: number, after?: string | null) {
  const qb = ctx.manager.getRepository(SettlementEntity).createQueryBuilder('s');
  if (filter.settledFrom) qb.andWhere('s.settledAt >= :from', { from: filter.settledFrom });
  if (filter.settledTo) qb.andWhere('s.settledAt < :to', { to: filter.settledTo });
  if (filter.currencyCode) qb.andWhere('s.currency = :cur', { cur: filter.currencyCode });
  if (after) {
    const { at, id } = decodeTimeCursor(after);
    qb.andWhere('(s.settledAt < :at OR (s.settledAt = :at AND s.id < :id))', { at, id });
  }
  return qb
    .orderBy('s.settledAt', 'DESC')
    .addOrderBy('s.id', 'DESC')
    .take(size + 1)
    .getMany();
}
