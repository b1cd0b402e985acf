/**
 * Money exceptions: refresh (the classifier), queries, the stakeholder summary and owner decisions.
 */
import { RequestContext } from '../db/context';
import { lockOrder, withTransaction } from '../db/transaction';
import { writeAudit } from '../audit';
import { BusinessError, ErrorCode } from '../shared/errors';
import { hasPermission } from '../shared/permissions';
import { forbidden } from '../graphql/errors';
import { decodeTimeCursor } from '../graphql/connection';
import { badInput } from '../graphql/errors';
import { CLASSIFY_SQL, INDEX_WEBHOOKS_SQL, RESOLVE_UNSEEN_SQL } from './classifier.sql';
import { MoneyExceptionEntity } from './entities';
import {
  AWAITING_REPAIR_KINDS,
  DECISION_PERMISSION,
  decisionRejection,
  DUPLICATE_RISK_KINDS,
  ExceptionDecision,
  ExceptionOwner,
  ExceptionResolution,
  ExceptionWindow,
  KIND_RULES,
  MoneyExceptionKind,
  MoneyExceptionStatus,
  WINDOW_SQL,
} from './exception-kinds';
import { holdOrder, releaseOrder } from './holds';
import { big, sql } from './sql';

/** Events committed out of id order are picked up by re-reading this many ids below the watermark. */
const WEBHOOK_INDEX_SLACK = 500;

export interface RefreshResult {
  seq: bigint;
  refreshed: boolean;
}

/**
 * Re-classifies every exception in one transaction, serialised by the refresh row's lock. Without
 * `force` it does nothing when another refresh finished within the staleness window.
 */
export async function refreshExceptions(ctx: RequestContext, opts: { force?: boolean } = {}): Promise<RefreshResult> {
  const cfg = ctx.app.config.exceptions;
  return withTransaction(ctx, async (tx) => {
    const now = tx.now;
    const [ctl] = await sql<{ seq: string; refreshed_at: Date | null; webhook_watermark: string }>(
      tx,
      'SELECT seq, refreshed_at, webhook_watermark FROM money_exception_refresh WHERE id = 1 FOR UPDATE',
    );
    if (!ctl) throw new Error('money_exception_refresh has no control row: run the migrations');
    if (!opts.force && !isStale(ctl.refreshed_at, now, cfg.staleAfterSeconds)) return { seq: big(ctl.seq), refreshed: false };
    const seq = big(ctl.seq) + 1n;
    const watermark = big(ctl.webhook_watermark);
    const [{ maxId }] = await sql<{ maxId: string | null }>(tx, 'SELECT MAX(id) AS maxId FROM webhook_event');
    const top = big(maxId);
    if (top > watermark) {
      const fromId = watermark > BigInt(WEBHOOK_INDEX_SLACK) ? watermark - BigInt(WEBHOOK_INDEX_SLACK) : 0n;
      await sql(tx, INDEX_WEBHOOKS_SQL, { fromId, toId: top });
    }
    await sql(tx, CLASSIFY_SQL, {
      now,
      seq,
      inFlightSeconds: cfg.refundInFlightTooLongSeconds,
      graceSeconds: cfg.postingGraceSeconds,
      invoiceGraceSeconds: cfg.inputInvoiceRefundGraceSeconds,
      driftSeconds: ctx.app.config.invoiceDataDriftWindowSeconds,
      cutoffHour: cfg.settlementCutoffHourUtc,
      webhookWaitSeconds: cfg.webhookWaitSeconds,
    });
    await sql(tx, RESOLVE_UNSEEN_SQL, { now, seq });
    await sql(tx, 'UPDATE money_exception_refresh SET seq = :seq, refreshed_at = :now, webhook_watermark = :wm WHERE id = 1', {
      seq,
      now,
      wm: top > watermark ? top : watermark,
    });
    return { seq, refreshed: true };
  });
}

function isStale(refreshedAt: Date | null, now: Date, staleAfterSeconds: number): boolean {
  if (!refreshedAt) return true;
  const age = now.getTime() - new Date(refreshedAt).getTime();
  return age < 0 || age >= staleAfterSeconds * 1000;
}

/** Requests already checked: one request reads one classification, however many fields ask. */
const freshFor = new WeakSet<RequestContext>();

/**
 * Queries call this first: one cheap read, and a refresh only when the last one is older than the
 * staleness window. Once per request, so the statement count depends on the query's shape only.
 */
export async function ensureFresh(ctx: RequestContext): Promise<void> {
  if (freshFor.has(ctx)) return;
  freshFor.add(ctx);
  const [ctl] = await sql<{ refreshed_at: Date | null }>(ctx, 'SELECT refreshed_at FROM money_exception_refresh WHERE id = 1');
  if (ctl && !isStale(ctl.refreshed_at, ctx.now, ctx.app.config.exceptions.staleAfterSeconds)) return;
  await refreshExceptions(ctx);
}

export interface MoneyExceptionFilter {
  kinds?: MoneyExceptionKind[] | null;
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
    throw badInput('`minAgeSeconds` must be a non-negative integer', 'filter.minAgeSeconds');
  }
  await ensureFresh(ctx);
  const now = ctx.now;
  const qb = ctx.manager.getRepository(MoneyExceptionEntity).createQueryBuilder('x');
  qb.where('x.status IN (:...statuses)', { statuses: filter.status?.length ? filter.status : UNRESOLVED });
  if (filter.kinds?.length) qb.andWhere('x.kind IN (:...kinds)', { kinds: filter.kinds });
  if (filter.orderId) qb.andWhere('x.orderId = :orderId', { orderId: filter.orderId });
  if (filter.minAgeSeconds) qb.andWhere('x.firstDetectedAt <= :maxDetected', { maxDetected: new Date(now.getTime() - filter.minAgeSeconds * 1000) });
  if (filter.window) qb.andWhere(`(${WINDOW_SQL}) = :window`, { now, window: filter.window });
  if (filter.decision) qb.andWhere('x.decision = :decision', { decision: filter.decision });
  if (after) {
    const { at, id } = decodeTimeCursor(after);
    qb.andWhere('(x.firstDetectedAt > :at OR (x.firstDetectedAt = :at AND x.id > :afterId))', { at, afterId: id });
  }
  return qb.orderBy('x.firstDetectedAt', 'ASC').addOrderBy('x.id', 'ASC').take(size + 1).getMany();
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

// ---------------------------------------------------------------- decisions

export interface DecideInput {
  exceptionId: string;
  decision: ExceptionDecision;
  note: string;
}

/**
 * Records an owner decision with who, when and why, in one transaction with its audit row, under
 * the order's lock. HOLD_AND_ESCALATE holds the order (automated refunds and recovery skip it);
 * RELEASE_HOLD lifts the hold once no other held exception of the order remains.
 */
export interface DecideResult {
  exception: MoneyExceptionEntity | null;
  userErrors: BusinessError[];
}

export async function decideException(ctx: RequestContext, input: DecideInput): Promise<DecideResult> {
  const note = input.note.trim();
  if (note.length === 0) throw badInput('A decision needs a note saying why', 'input.note');
  if (note.length > 1024) throw badInput('The note is limited to 1024 characters', 'input.note');
  if (!hasPermission(ctx.actor.role, DECISION_PERMISSION[input.decision])) {
    throw forbidden(`Role ${ctx.actor.role} may not decide ${input.decision}`);
  }
  await ensureFresh(ctx);
  const args = { ...input, note };
  try {
    const exception = await withTransaction(ctx, async (tx) => {
      const repo = tx.manager.getRepository(MoneyExceptionEntity);
      const first = await repo.findOne({ where: { id: input.exceptionId } });
      if (!first) throw new BusinessError(ErrorCode.EXCEPTION_NOT_FOUND, `No exception ${input.exceptionId}`, ['input', 'exceptionId']);
      if (first.orderId) await lockOrder(tx, first.orderId);
      const ex = await repo.createQueryBuilder('x').setLock('pessimistic_write').where({ id: input.exceptionId }).getOneOrFail();
      if (ex.status === MoneyExceptionStatus.RESOLVED) {
        throw new BusinessError(ErrorCode.EXCEPTION_ALREADY_RESOLVED, `Exception ${ex.id} is already resolved`, ['input', 'exceptionId']);
      }
      const why = decisionRejection(ex, input.decision);
      if (why) throw new BusinessError(ErrorCode.DECISION_NOT_ALLOWED, why, ['input', 'decision']);

      const now = tx.now;
      const patch: Partial<MoneyExceptionEntity> = {
        decision: input.decision,
        decidedBy: tx.actor.subject.slice(0, 128),
        decidedAt: now,
        decisionNote: note,
      };
      if (input.decision === ExceptionDecision.CLOSE) {
        Object.assign(patch, { status: MoneyExceptionStatus.RESOLVED, resolution: ExceptionResolution.CLOSED, resolvedAt: now });
      } else if (input.decision === ExceptionDecision.RELEASE_HOLD) {
        // Released: back to awaiting a decision, or resolved at once if the condition already cleared.
        Object.assign(
          patch,
          ex.observed
            ? { status: MoneyExceptionStatus.OPEN }
            : { status: MoneyExceptionStatus.RESOLVED, resolution: ExceptionResolution.AUTO, resolvedAt: now },
        );
      } else {
        patch.status = MoneyExceptionStatus.DECIDED;
      }
      await repo.update({ id: ex.id }, patch);

      if (ex.orderId && input.decision === ExceptionDecision.HOLD_AND_ESCALATE) {
        await holdOrder(tx, { orderId: ex.orderId, exceptionId: ex.id, note: `${ex.kind}: ${note}` });
      } else if (ex.orderId && input.decision === ExceptionDecision.RELEASE_HOLD) {
        const [other] = await sql<{ id: string }>(
          tx,
          `SELECT id FROM money_exception WHERE order_id = :orderId AND id <> :id AND status = 'DECIDED' AND decision = 'HOLD_AND_ESCALATE' LIMIT 1`,
          { orderId: ex.orderId, id: ex.id },
        );
        if (other) await sql(tx, 'UPDATE order_hold SET exception_id = :other WHERE order_id = :orderId', { other: other.id, orderId: ex.orderId });
        else await releaseOrder(tx, ex.orderId);
      }
      await writeAudit(tx, { operation: 'decideException', args, orderId: ex.orderId, outcome: `DECIDED:${input.decision}` });
      return repo.findOneOrFail({ where: { id: ex.id } });
    });
    return { exception, userErrors: [] };
  } catch (err) {
    if (!(err instanceof BusinessError)) throw err;
    // The refusal is audited too; it changes nothing else.
    await writeAudit(ctx, { operation: 'decideException', args, orderId: null, outcome: `REJECTED:${err.code}` });
    const current = await ctx.manager.getRepository(MoneyExceptionEntity).findOne({ where: { id: input.exceptionId } });
    return { exception: current, userErrors: [err] };
  }
}

// ---------------------------------------------------------------- stakeholder summary

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

const FINANCE_KINDS = Object.entries(KIND_RULES).filter(([, r]) => r.owner === ExceptionOwner.FINANCE).map(([k]) => k);

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
  const [counts] = await sql<Record<string, string | null>>(
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
  const [ex] = await sql<Record<string, string | Date | null>>(
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
