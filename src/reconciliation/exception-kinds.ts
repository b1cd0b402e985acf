/**
 * The exception state model (seed 003 + the refund/ERP/settlement states of DESIGN §3): who owns
 * each kind, which owner decisions fit it, who may take each decision, and the time windows.
 * Pure: no database, no clock.
 */
import { Permission } from '../shared/permissions';

export enum MoneyExceptionKind {
  AUTHORIZED_ORDER_NOT_CREATED = 'AUTHORIZED_ORDER_NOT_CREATED',
  CAPTURED_ORDER_CREATION_FAILED = 'CAPTURED_ORDER_CREATION_FAILED',
  CAPTURED_OMS_REJECTED = 'CAPTURED_OMS_REJECTED',
  CAPTURED_ERP_POSTING_FAILED = 'CAPTURED_ERP_POSTING_FAILED',
  REFUNDED_ORDER_LATER_CREATED = 'REFUNDED_ORDER_LATER_CREATED',
  SETTLED_NO_ERP_INVOICE = 'SETTLED_NO_ERP_INVOICE',
  INPUT_INVOICE_NOT_REFUNDED = 'INPUT_INVOICE_NOT_REFUNDED',
  REFUND_IN_FLIGHT_TOO_LONG = 'REFUND_IN_FLIGHT_TOO_LONG',
  INVOICE_DATA_DRIFT = 'INVOICE_DATA_DRIFT',
  REFUND_FAILED = 'REFUND_FAILED',
  REFUND_NOT_POSTED_TO_ERP = 'REFUND_NOT_POSTED_TO_ERP',
  ERP_POSTING_WITHOUT_REFUND = 'ERP_POSTING_WITHOUT_REFUND',
  ERP_AMOUNT_MISMATCH = 'ERP_AMOUNT_MISMATCH',
  ERP_DUPLICATE_POSTING = 'ERP_DUPLICATE_POSTING',
  SETTLEMENT_LINE_WITHOUT_ORDER = 'SETTLEMENT_LINE_WITHOUT_ORDER',
  /** A webhook claims a refund failed or was reversed (or succeeded after failing) and the PSP's record could not be read yet. */
  REFUND_OUTCOME_IN_DOUBT = 'REFUND_OUTCOME_IN_DOUBT',
  /** A signed webhook event is still not applied past its window: waiting for a record, failing, or dead-lettered. */
  WEBHOOK_EVENT_NOT_APPLIED = 'WEBHOOK_EVENT_NOT_APPLIED',
}

export enum ExceptionDecision {
  REPAIR_ORDER = 'REPAIR_ORDER',
  REFUND_AND_CLOSE = 'REFUND_AND_CLOSE',
  POST_FINANCE_EVIDENCE = 'POST_FINANCE_EVIDENCE',
  /** Freezes automated refunds and recovery on the order until RELEASE_HOLD. */
  HOLD_AND_ESCALATE = 'HOLD_AND_ESCALATE',
  RELEASE_HOLD = 'RELEASE_HOLD',
  /** The closure note: the exception is resolved by its owner, whatever the systems still show. */
  CLOSE = 'CLOSE',
}

export enum MoneyExceptionStatus {
  /** Observed, no decision in force. */
  OPEN = 'OPEN',
  /** An owner decision is in force. Decided exceptions are never resolved automatically. */
  DECIDED = 'DECIDED',
  RESOLVED = 'RESOLVED',
}

export enum ExceptionResolution {
  /** Undecided and no longer observed. */
  AUTO = 'AUTO',
  /** Closed by an owner (CLOSE decision). */
  CLOSED = 'CLOSED',
}

/** Seed 003's "reconciliation controls by time window". */
export enum ExceptionWindow {
  MINUTES_0_TO_5 = 'MINUTES_0_TO_5',
  MINUTES_5_TO_60 = 'MINUTES_5_TO_60',
  BEFORE_SETTLEMENT_CUTOFF = 'BEFORE_SETTLEMENT_CUTOFF',
  AFTER_SETTLEMENT = 'AFTER_SETTLEMENT',
}

/** "Those groups need different owners" (seed 003): one queue per owner, not one "payment errors" queue. */
export enum ExceptionOwner {
  COMMERCE = 'COMMERCE',
  OMS = 'OMS',
  PAYMENTS = 'PAYMENTS',
  FINANCE = 'FINANCE',
}

const D = ExceptionDecision;
const K = MoneyExceptionKind;
const FINANCE_PATHS = [D.POST_FINANCE_EVIDENCE, D.HOLD_AND_ESCALATE];

/** Owner and the decision paths that fit each kind. RELEASE_HOLD and CLOSE fit every kind (checked separately). */
export const KIND_RULES: Readonly<Record<MoneyExceptionKind, { owner: ExceptionOwner; decisions: readonly ExceptionDecision[] }>> = {
  // Nothing was captured: the choice is retry the order or let the authorization expire (CLOSE), never a refund.
  [K.AUTHORIZED_ORDER_NOT_CREATED]: { owner: ExceptionOwner.COMMERCE, decisions: [D.REPAIR_ORDER, D.HOLD_AND_ESCALATE] },
  [K.CAPTURED_ORDER_CREATION_FAILED]: { owner: ExceptionOwner.COMMERCE, decisions: [D.REPAIR_ORDER, D.REFUND_AND_CLOSE, D.HOLD_AND_ESCALATE] },
  [K.CAPTURED_OMS_REJECTED]: { owner: ExceptionOwner.OMS, decisions: [D.REPAIR_ORDER, D.REFUND_AND_CLOSE, D.HOLD_AND_ESCALATE] },
  // "Refunds are correct when … finance cannot post it reliably."
  [K.CAPTURED_ERP_POSTING_FAILED]: { owner: ExceptionOwner.FINANCE, decisions: [D.POST_FINANCE_EVIDENCE, D.REFUND_AND_CLOSE, D.HOLD_AND_ESCALATE] },
  // Already refunded: refunding again is exactly the duplicate correction to avoid.
  [K.REFUNDED_ORDER_LATER_CREATED]: { owner: ExceptionOwner.FINANCE, decisions: [D.REPAIR_ORDER, D.POST_FINANCE_EVIDENCE, D.HOLD_AND_ESCALATE] },
  [K.SETTLED_NO_ERP_INVOICE]: { owner: ExceptionOwner.FINANCE, decisions: FINANCE_PATHS },
  [K.INPUT_INVOICE_NOT_REFUNDED]: { owner: ExceptionOwner.PAYMENTS, decisions: [D.REFUND_AND_CLOSE, D.POST_FINANCE_EVIDENCE, D.HOLD_AND_ESCALATE] },
  [K.REFUND_IN_FLIGHT_TOO_LONG]: { owner: ExceptionOwner.PAYMENTS, decisions: [D.REFUND_AND_CLOSE, D.POST_FINANCE_EVIDENCE, D.HOLD_AND_ESCALATE] },
  [K.INVOICE_DATA_DRIFT]: { owner: ExceptionOwner.OMS, decisions: [D.REPAIR_ORDER, D.HOLD_AND_ESCALATE] },
  [K.REFUND_FAILED]: { owner: ExceptionOwner.PAYMENTS, decisions: [D.REFUND_AND_CLOSE, D.POST_FINANCE_EVIDENCE, D.HOLD_AND_ESCALATE] },
  [K.REFUND_NOT_POSTED_TO_ERP]: { owner: ExceptionOwner.FINANCE, decisions: FINANCE_PATHS },
  [K.ERP_POSTING_WITHOUT_REFUND]: { owner: ExceptionOwner.FINANCE, decisions: FINANCE_PATHS },
  [K.ERP_AMOUNT_MISMATCH]: { owner: ExceptionOwner.FINANCE, decisions: FINANCE_PATHS },
  [K.ERP_DUPLICATE_POSTING]: { owner: ExceptionOwner.FINANCE, decisions: FINANCE_PATHS },
  [K.SETTLEMENT_LINE_WITHOUT_ORDER]: { owner: ExceptionOwner.FINANCE, decisions: FINANCE_PATHS },
  // Refunding again while the PSP may hold the refund as succeeded is the double payment to avoid.
  [K.REFUND_OUTCOME_IN_DOUBT]: { owner: ExceptionOwner.PAYMENTS, decisions: FINANCE_PATHS },
  // Repair: bring the missing record in (syncOrder) or replay the event once its cause is fixed.
  [K.WEBHOOK_EVENT_NOT_APPLIED]: { owner: ExceptionOwner.PAYMENTS, decisions: [D.REPAIR_ORDER, D.HOLD_AND_ESCALATE] },
};

/** Kinds whose replay or automated retry could move money twice. */
export const DUPLICATE_RISK_KINDS: readonly MoneyExceptionKind[] = [K.ERP_DUPLICATE_POSTING, K.REFUNDED_ORDER_LATER_CREATED, K.REFUND_OUTCOME_IN_DOUBT];
/** Captured money whose order path must be repaired (or refunded). */
export const AWAITING_REPAIR_KINDS: readonly MoneyExceptionKind[] = [K.CAPTURED_ORDER_CREATION_FAILED, K.CAPTURED_OMS_REJECTED];

/** FINANCE decides the finance paths (evidence, hold, release); repairing, refunding and closing stay with DECIDE_ALL (ADMIN). */
export const DECISION_PERMISSION: Readonly<Record<ExceptionDecision, Permission>> = {
  [D.REPAIR_ORDER]: Permission.DECIDE_ALL,
  [D.REFUND_AND_CLOSE]: Permission.DECIDE_ALL,
  [D.POST_FINANCE_EVIDENCE]: Permission.DECIDE_FINANCE,
  [D.HOLD_AND_ESCALATE]: Permission.DECIDE_FINANCE,
  [D.RELEASE_HOLD]: Permission.DECIDE_FINANCE,
  // Closing can bury an exception that needs a repair or a refund: admins only (src/graphql/operation-policy.ts).
  [D.CLOSE]: Permission.DECIDE_ALL,
};

export interface DecisionState {
  kind: string;
  status: string;
  decision: string | null;
}

/** Why `decision` does not fit the exception now, or null when it does. */
export function decisionRejection(ex: DecisionState, decision: ExceptionDecision): string | null {
  const held = ex.status === MoneyExceptionStatus.DECIDED && ex.decision === D.HOLD_AND_ESCALATE;
  if (decision === D.RELEASE_HOLD) return held ? null : 'The exception is not on hold';
  // A hold stands until someone releases it: the next path is decided after that, never beside it.
  if (held) return 'The exception is on hold: release the hold first';
  if (decision === D.CLOSE) return null;
  const rules = KIND_RULES[ex.kind as MoneyExceptionKind];
  if (!rules) return `Unknown exception kind ${ex.kind}`;
  if (!rules.decisions.includes(decision)) return `${decision} does not fit ${ex.kind}; allowed: ${[...rules.decisions, D.CLOSE].join(', ')}`;
  return null;
}

/** The decisions that would be accepted now (for the admin UI's buttons). */
export function allowedDecisions(ex: DecisionState): ExceptionDecision[] {
  if (ex.status === MoneyExceptionStatus.RESOLVED) return [];
  return Object.values(D).filter((d) => decisionRejection(ex, d) === null);
}

const WINDOW_FIRST_MS = 5 * 60_000;
const WINDOW_SECOND_MS = 60 * 60_000;

/** The settlement cut-off that follows `t`: the next `hourUtc`:00 UTC strictly after it. */
export function settlementCutoffAfter(t: Date, hourUtc: number): Date {
  const c = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), hourUtc));
  if (c.getTime() <= t.getTime()) c.setUTCDate(c.getUTCDate() + 1);
  return c;
}

/**
 * Settled money is past settlement whatever its age; otherwise the first 5 minutes and the first
 * hour after the money event take precedence, then the time left before the cut-off.
 */
export function exceptionWindow(e: { occurredAt: Date; decisionDeadline: Date; settlementBatchId: string | null }, now: Date): ExceptionWindow {
  if (e.settlementBatchId) return ExceptionWindow.AFTER_SETTLEMENT;
  const elapsed = now.getTime() - e.occurredAt.getTime();
  if (elapsed < WINDOW_FIRST_MS) return ExceptionWindow.MINUTES_0_TO_5;
  if (elapsed < WINDOW_SECOND_MS) return ExceptionWindow.MINUTES_5_TO_60;
  return now.getTime() < e.decisionDeadline.getTime() ? ExceptionWindow.BEFORE_SETTLEMENT_CUTOFF : ExceptionWindow.AFTER_SETTLEMENT;
}

/** The same rule as exceptionWindow, as SQL over money_exception `x`, with the parameter :now. */
export const WINDOW_SQL = `CASE WHEN x.settlement_batch_id IS NOT NULL THEN 'AFTER_SETTLEMENT'
  WHEN x.occurred_at > DATE_SUB(:now, INTERVAL 5 MINUTE) THEN 'MINUTES_0_TO_5'
  WHEN x.occurred_at > DATE_SUB(:now, INTERVAL 60 MINUTE) THEN 'MINUTES_5_TO_60'
  WHEN :now < x.decision_deadline THEN 'BEFORE_SETTLEMENT_CUTOFF' ELSE 'AFTER_SETTLEMENT' END`;
