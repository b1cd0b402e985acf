/** Money exceptions, read: the exception list, the exceptions of orders and the stakeholder summary. */
import { RequestContext } from '../db/context';
import { decodeTimeCursor } from '../shared/cursor';
import { InputError } from '../shared/errors';
import { MoneyExceptionEntity } from './entities';
import {
  AWAITING_REPAIR_KINDS,
  DUPLICATE_RISK_KINDS,
  ExceptionDecision,
  ExceptionOwner,
  ExceptionWindow,
  KIND_RULES,
  MoneyExceptionKind,
  MoneyExceptionStatus,
  WINDOW_SQL,
} from './exception-kinds';
import { ensureFresh } from './exceptions.refresh';
import { big, sql, sqlRow } from './sql';

export interface MoneyExceptionFilter {
  kinds?: MoneyExceptionKind[] | null;
  /** Only the kinds these teams own. */
  owners?: ExceptionOwner[] | null;
  orderId?: string | null;
  minAgeSeconds?: number | null;
  window?: ExceptionWindow | null;
  decision?: ExceptionDecision | null;
  /** Default: the unresolved ones (OPEN, DECIDED). */
  status?: MoneyExceptionStatus[] | null;
}

const UNRESOLVED = [MoneyExceptionStatus.OPEN, MoneyExceptionStatus.DECIDED];

/** Oldest first (the longest-waiting problem on top), keyset-paged on (firstDetectedAt, id). */
export async function listExceptions(ctx: RequestContext, filter: MoneyExceptionFilter, size: number, after?: string | null): Promise<MoneyExceptionEntity[]> {
  if (filter.minAgeSeconds != null && (!Number.isInteger(filter.minAgeSeconds) || filter.minAgeSeconds < 0)) {
    throw new InputError('`minAgeSeconds` must be a non-negative integer', 'filter.minAgeSeconds');
  }
  await ensureFresh(ctx);
  const now = ctx.now;
  const qb = ctx.manager.getRepository(MoneyExceptionEntity).createQueryBuilder('x');
  qb.where('x.status IN (:...statuses)', { statuses: filter.status?.length ? filter.status : UNRESOLVED });
  if (filter.kinds?.length) qb.andWhere('x.kind IN (:...kinds)', { kinds: filter.kinds });
  if (filter.owners?.length) {
    const owners = filter.owners;
    const ownedKinds = (Object.keys(KIND_RULES) as MoneyExceptionKind[]).filter((k) => owners.includes(KIND_RULES[k].owner));
    qb.andWhere('x.kind IN (:...ownedKinds)', { ownedKinds });
  }
  if (filter.orderId) qb.andWhere('x.orderId = :orderId', { orderId: filter.orderId });
  if (filter.minAgeSeconds) qb.andWhere('x.firstDetectedAt <= :maxDetected', { maxDetected: new Date(now.getTime() - filter.minAgeSeconds * 1000) });
  if (filter.window) qb.andWhere(`(${WINDOW_SQL}) = :window`, { now, window: filter.window });
  if (filter.decision) qb.andWhere('x.decision = :decision', { decision: filter.decision });
  if (after) {
    const { at, id } = decodeTimeCursor(after);
    qb.andWhere('(x.firstDetectedAt > :at OR (x.firstDetectedAt = :at AND x.id > :afterId))', { at, afterId: id });
  }
  return qb
    .orderBy('x.firstDetectedAt', 'ASC')
    .addOrderBy('x.id', 'ASC')
    .take(size + 1)
    .getMany();
}

export async function exceptionsOfOrders(ctx: RequestContext, orderIds: readonly string[]): Promise<MoneyExceptionEntity[]> {
  await ensureFresh(ctx);
  if (orderIds.length === 0) return [];
  return ctx.manager
    .getRepository(MoneyExceptionEntity)
    .createQueryBuilder('x')
    .where('x.orderId IN (:...ids)', { ids: [...orderIds] })
    .orderBy('x.firstDetectedAt', 'ASC')
    .addOrderBy('x.id', 'ASC')
    .getMany();
}

export interface MoneySummaryResult {
  from: Date;
  to: Date;
  customersCharged: number;
  paymentsCharged: number;
  ordersComplete: number;
  awaitingRepair: number;
  paymentsRefunded: number;
  charged: { currency: string; minor: bigint }[];
  refundedAmount: { currency: string; minor: bigint }[];
  heldForFinanceReview: { currency: string; minor: bigint }[];
  openExceptions: number;
  undecidedExceptions: number;
  overdueDecisions: number;
  oldestUnresolvedCapture: MoneyExceptionEntity | null;
  nextDecisionDeadline: Date | null;
  heldOrders: number;
  duplicateRiskExceptions: number;
}

const FINANCE_KINDS = Object.entries(KIND_RULES)
  .filter(([, r]) => r.owner === ExceptionOwner.FINANCE)
  .map(([k]) => k);

/**
 * Seed 003's stakeholder report for money that moved in [from, to): payments captured in the
 * period, and the exceptions whose money event falls in it. No gateway jargon; amounts per currency.
 */
export async function moneySummary(ctx: RequestContext, from: Date, to: Date): Promise<MoneySummaryResult> {
  await ensureFresh(ctx);
  const now = ctx.now;
  const p = { from, to, now, awaiting: [...AWAITING_REPAIR_KINDS], finance: FINANCE_KINDS, dup: [...DUPLICATE_RISK_KINDS] };
  // One row per payment charged in the period, classified by what its order and exceptions say.
  const charged = `SELECT p.id, p.currency, COALESCE(p.customer_id, p.id) AS customer, cp.captured,
      (SELECT COALESCE(SUM(r.amount_minor), 0) FROM refund r WHERE r.order_id = p.order_id AND r.payment_id = p.id AND r.status = 'SUCCEEDED') AS refunded,
      EXISTS (SELECT 1 FROM money_exception x WHERE x.psp_reference = p.id AND x.status IN ('OPEN', 'DECIDED') AND x.observed = 1 AND x.kind IN (:awaiting)) AS awaiting,
      (o.id IS NOT NULL AND o.status NOT IN ('REJECTED', 'CANCELED')
        AND NOT EXISTS (SELECT 1 FROM money_exception x WHERE x.order_id = o.id AND x.status IN ('OPEN', 'DECIDED'))) AS complete
    FROM (SELECT c.payment_id, SUM(c.amount_minor) AS captured FROM psp_capture c WHERE c.captured_at >= :from AND c.captured_at < :to GROUP BY c.payment_id) cp
    JOIN psp_payment p ON p.id = cp.payment_id
    LEFT JOIN oms_order o ON o.id = p.order_id`;
  const counts = await sqlRow<Record<string, string | null>>(
    ctx,
    `SELECT COUNT(DISTINCT t.customer) AS customers, COUNT(*) AS payments, COALESCE(SUM(t.complete), 0) AS complete,
       COALESCE(SUM(t.awaiting AND t.refunded < t.captured), 0) AS awaiting, COALESCE(SUM(t.refunded > 0), 0) AS refunded
     FROM (${charged}) t`,
    p,
  );
  const perCurrency = await sql<{ currency: string; charged: string; refunded: string }>(
    ctx,
    `SELECT t.currency, SUM(t.captured) AS charged, SUM(t.refunded) AS refunded FROM (${charged}) t GROUP BY t.currency ORDER BY t.currency`,
    p,
  );
  const inPeriod = `x.occurred_at >= :from AND x.occurred_at < :to AND x.status IN ('OPEN', 'DECIDED')`;
  const held = await sql<{ currency: string; minor: string }>(
    ctx,
    `SELECT x.currency, SUM(x.amount_minor) AS minor FROM money_exception x
     WHERE ${inPeriod} AND x.currency IS NOT NULL AND x.amount_minor IS NOT NULL AND (x.kind IN (:finance) OR x.decision = 'HOLD_AND_ESCALATE')
     GROUP BY x.currency ORDER BY x.currency`,
    p,
  );
  const ex = await sqlRow<Record<string, string | Date | null>>(
    ctx,
    `SELECT COUNT(*) AS open_count, COALESCE(SUM(x.status = 'OPEN'), 0) AS undecided,
       COALESCE(SUM(x.status = 'OPEN' AND x.decision_deadline <= :now), 0) AS overdue,
       MIN(IF(x.status = 'OPEN' AND x.decision_deadline > :now, x.decision_deadline, NULL)) AS next_deadline,
       COALESCE(SUM(x.kind IN (:dup)), 0) AS dup,
       (SELECT COUNT(*) FROM order_hold) AS held_orders
     FROM money_exception x WHERE ${inPeriod}`,
    p,
  );
  const oldest = await ctx.manager
    .getRepository(MoneyExceptionEntity)
    .createQueryBuilder('x')
    .where(`x.occurredAt >= :from AND x.occurredAt < :to AND x.status IN ('OPEN', 'DECIDED') AND x.capturedAt IS NOT NULL`, { from, to })
    .orderBy('x.capturedAt', 'ASC')
    .addOrderBy('x.id', 'ASC')
    .getOne();
  const n = (v: unknown) => Number(v ?? 0);
  return {
    from,
    to,
    customersCharged: n(counts.customers),
    paymentsCharged: n(counts.payments),
    ordersComplete: n(counts.complete),
    awaitingRepair: n(counts.awaiting),
    paymentsRefunded: n(counts.refunded),
    charged: perCurrency.map((r) => ({ currency: r.currency, minor: big(r.charged) })),
    refundedAmount: perCurrency.map((r) => ({ currency: r.currency, minor: big(r.refunded) })),
    heldForFinanceReview: held.map((r) => ({ currency: r.currency, minor: big(r.minor) })),
    openExceptions: n(ex.open_count),
    undecidedExceptions: n(ex.undecided),
    overdueDecisions: n(ex.overdue),
    oldestUnresolvedCapture: oldest ?? null,
    nextDecisionDeadline: ex.next_deadline ? new Date(ex.next_deadline as Date) : null,
    heldOrders: n(ex.held_orders),
    duplicateRiskExceptions: n(ex.dup),
  };
}
