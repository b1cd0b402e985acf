import { Brackets } from 'typeorm';
import { RequestContext } from '../../db/context';
import { decodeTimeCursor } from '../../graphql/connection';
import { badInput } from '../../graphql/errors';
import { AuditEntryEntity } from '../audit-entry.entity';

export interface AuditLogFilter {
  subject?: string | null;
  operation?: string | null;
  orderId?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** Newest first, keyset-paged on (occurredAt, id); one row more than asked tells whether a next page exists. */
export async function listAuditEntries(ctx: RequestContext, filter: AuditLogFilter, size: number, after?: string | null): Promise<AuditEntryEntity[]> {
  if (filter.from && filter.to && filter.to < filter.from) throw badInput('`to` must not be before `from`', 'filter.to');
  const qb = ctx.manager.getRepository(AuditEntryEntity).createQueryBuilder('a');
  if (filter.subject) qb.andWhere('a.subject = :subject', { subject: filter.subject });
  if (filter.operation) qb.andWhere('a.operation = :operation', { operation: filter.operation });
  if (filter.orderId) qb.andWhere('a.orderId = :orderId', { orderId: filter.orderId });
  if (filter.from) qb.andWhere('a.occurredAt >= :from', { from: filter.from });
  if (filter.to) qb.andWhere('a.occurredAt < :to', { to: filter.to });
  if (after) {
    const { at, id } = decodeTimeCursor(after, /^\d{1,20}$/);
    qb.andWhere(new Brackets((w) => w.where('a.occurredAt < :at', { at }).orWhere('(a.occurredAt = :at AND a.id < CAST(:id AS UNSIGNED))', { at, id })));
  }
  return qb
    .orderBy('a.occurredAt', 'DESC')
    .addOrderBy('a.id', 'DESC')
    .take(size + 1)
    .getMany();
}
