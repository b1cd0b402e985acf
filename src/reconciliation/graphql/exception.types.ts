import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money, toMoney } from '../../graphql/money.type';
import { UserError } from '../../graphql/user-error.type';
import { ConnectionType } from '../../graphql/connection';
import { MoneyExceptionEntity } from '../entities';
import { ExceptionDecisionEntity } from '../exception-decision.entity';
import {
  allowedDecisions,
  ExceptionDecision,
  ExceptionOwner,
  ExceptionResolution,
  ExceptionWindow,
  exceptionWindow,
  KIND_RULES,
  MoneyExceptionKind,
  MoneyExceptionStatus,
} from '../exception-kinds';

registerEnumType(MoneyExceptionKind, { name: 'MoneyExceptionKind', description: 'The exception state model of DESIGN §3 (seed 003 and the refund/ERP/settlement states).' });
registerEnumType(ExceptionDecision, {
  name: 'ExceptionDecision',
  description: 'Owner decisions. HOLD_AND_ESCALATE freezes automated refunds and recovery on the order until RELEASE_HOLD; CLOSE resolves the exception with a closure note.',
});
registerEnumType(MoneyExceptionStatus, { name: 'MoneyExceptionStatus' });
registerEnumType(ExceptionResolution, { name: 'ExceptionResolution' });
registerEnumType(ExceptionWindow, { name: 'ExceptionWindow', description: 'Time windows of seed 003: 0–5 min, 5–60 min, before the settlement cut-off, after settlement.' });
registerEnumType(ExceptionOwner, { name: 'ExceptionOwner' });

@ObjectType({ description: 'The evidence every exception carries (seed 003): enough to decide without opening four consoles.' })
class ExceptionEvidence {
  @Field(() => ID, { nullable: true, description: 'PSP payment reference.' }) pspReference: string | null;
  @Field(() => ID, { nullable: true }) captureId: string | null;
  @Field(() => Money, { nullable: true }) amount: Money | null;
  @Field(() => Date, { nullable: true }) captureTimestamp: Date | null;
  @Field(() => ID, { nullable: true, description: 'The commerce/OMS order code.' }) orderCode: string | null;
  @Field(() => String, { nullable: true, description: 'The OMS order status, or NOT_CREATED.' }) omsStatus: string | null;
  @Field(() => String, { nullable: true, description: 'POSTED, NOT_POSTED, REJECTED, DUPLICATE or REVISED.' }) erpPostingStatus: string | null;
  @Field(() => ID, { nullable: true }) erpDocumentId: string | null;
  @Field(() => ID, { nullable: true }) invoiceReference: string | null;
  @Field(() => ID, { nullable: true }) settlementBatchId: string | null;
  @Field(() => ID, { nullable: true, description: "moneygraph's refund id." }) refundId: string | null;
  @Field(() => ID, { nullable: true }) pspRefundId: string | null;
  @Field(() => String, { nullable: true, description: 'The stored webhook event that carried the latest state of the subject.' }) webhookEventId: string | null;
  @Field({ description: 'True when that event is stored, signed, and not applied yet: replaying it would change something.' }) webhookReplayable: boolean;
  @Field(() => Int, { nullable: true }) webhookReplayCount: number | null;
  @Field(() => Boolean, { nullable: true }) webhookSignatureValid: boolean | null;
}

@ObjectType()
class ExceptionDecisionRecord {
  @Field(() => ExceptionDecision) decision: ExceptionDecision;
  @Field() decidedBy: string;
  @Field() decidedAt: Date;
  @Field() note: string;
}

@ObjectType({ description: 'One owner decision, as taken: who, with which role, when, why, and the state it moved the exception from and to.' })
export class ExceptionDecisionEntry {
  @Field(() => ExceptionDecision) decision: ExceptionDecision;
  @Field() decidedBy: string;
  @Field({ description: 'The role the decision was taken with.' }) role: string;
  @Field() decidedAt: Date;
  @Field() note: string;
  @Field(() => MoneyExceptionStatus, { nullable: true, description: 'The status before the decision (null for decisions taken before the history kept it).' })
  previousStatus: MoneyExceptionStatus | null;
  @Field(() => ExceptionDecision, { nullable: true, description: 'The latest decision before this one.' }) previousDecision: ExceptionDecision | null;
  @Field(() => MoneyExceptionStatus, { nullable: true, description: 'The status the decision left it in.' }) status: MoneyExceptionStatus | null;
}

export function toDecisionEntry(d: ExceptionDecisionEntity): ExceptionDecisionEntry {
  return Object.assign(new ExceptionDecisionEntry(), {
    decision: d.decision as ExceptionDecision,
    decidedBy: d.decidedBy,
    role: d.role,
    decidedAt: d.decidedAt,
    note: d.note,
    previousStatus: d.previousStatus as MoneyExceptionStatus | null,
    previousDecision: d.previousDecision as ExceptionDecision | null,
    status: d.status as MoneyExceptionStatus | null,
  });
}

@ObjectType({ description: 'Money in a bad state: one per (kind, subject), kept from first detection to resolution.' })
export class MoneyException {
  @Field(() => ID) id: string;
  @Field(() => MoneyExceptionKind) kind: MoneyExceptionKind;
  @Field(() => MoneyExceptionStatus) status: MoneyExceptionStatus;
  @Field(() => ExceptionOwner, { description: 'The team that owns the decision.' }) owner: ExceptionOwner;
  @Field(() => ID, { nullable: true }) orderId: string | null;
  @Field({ description: 'What is wrong, in one sentence.' }) detail: string;
  @Field(() => ExceptionEvidence) evidence: ExceptionEvidence;
  @Field({ description: 'When the money event behind it happened (capture, refund, posting, settlement).' }) occurredAt: Date;
  @Field() firstDetectedAt: Date;
  @Field() lastObservedAt: Date;
  @Field(() => Int, { description: 'Seconds since first detected.' }) ageSeconds: number;
  @Field({ description: 'False once the condition is no longer seen (a decided exception then waits for CLOSE).' }) observed: boolean;
  @Field(() => Date, { nullable: true }) clearedAt: Date | null;
  @Field(() => ExceptionWindow) window: ExceptionWindow;
  @Field({ description: 'The settlement cut-off following the money event: decide before it.' }) decisionDeadline: Date;
  @Field(() => ExceptionDecisionRecord, { nullable: true, description: 'The latest owner decision (every one is in `history`).' })
  decision: ExceptionDecisionRecord | null;
  @Field(() => ExceptionResolution, { nullable: true }) resolution: ExceptionResolution | null;
  @Field(() => Date, { nullable: true }) resolvedAt: Date | null;
  @Field(() => [ExceptionDecision], { description: 'Decisions that fit this exception now (permissions aside).' }) allowedDecisions: ExceptionDecision[];
}

export function toMoneyException(e: MoneyExceptionEntity, now: Date): MoneyException {
  const evidence = Object.assign(new ExceptionEvidence(), {
    pspReference: e.pspReference,
    captureId: e.captureId,
    amount: e.amountMinor !== null && e.currency ? toMoney(e.amountMinor, e.currency) : null,
    captureTimestamp: e.capturedAt,
    orderCode: e.orderId,
    omsStatus: e.omsStatus,
    erpPostingStatus: e.erpStatus,
    erpDocumentId: e.erpDocumentId,
    invoiceReference: e.invoiceRef,
    settlementBatchId: e.settlementBatchId,
    refundId: e.refundId,
    pspRefundId: e.pspRefundId,
    webhookEventId: e.webhookEventId,
    webhookReplayable: Boolean(e.webhookReplayable),
    webhookReplayCount: e.webhookReplayCount,
    webhookSignatureValid: e.webhookSignatureValid === null ? null : Boolean(e.webhookSignatureValid),
  });
  return Object.assign(new MoneyException(), {
    id: e.id,
    kind: e.kind as MoneyExceptionKind,
    status: e.status as MoneyExceptionStatus,
    owner: KIND_RULES[e.kind as MoneyExceptionKind]?.owner ?? ExceptionOwner.FINANCE,
    orderId: e.orderId,
    detail: e.detail,
    evidence,
    occurredAt: e.occurredAt,
    firstDetectedAt: e.firstDetectedAt,
    lastObservedAt: e.lastObservedAt,
    ageSeconds: Math.max(0, Math.floor((now.getTime() - e.firstDetectedAt.getTime()) / 1000)),
    observed: Boolean(e.observed),
    clearedAt: e.clearedAt,
    window: exceptionWindow(e, now),
    decisionDeadline: e.decisionDeadline,
    decision: e.decision
      ? Object.assign(new ExceptionDecisionRecord(), { decision: e.decision, decidedBy: e.decidedBy ?? '', decidedAt: e.decidedAt ?? e.lastObservedAt, note: e.decisionNote ?? '' })
      : null,
    resolution: e.resolution as ExceptionResolution | null,
    resolvedAt: e.resolvedAt,
    allowedDecisions: allowedDecisions(e),
  });
}

export const MoneyExceptionConnection = ConnectionType('MoneyException', MoneyException);

@InputType()
export class MoneyExceptionFilter {
  @Field(() => [MoneyExceptionKind], { nullable: true }) kinds?: MoneyExceptionKind[];
  @Field(() => [ExceptionOwner], { nullable: true, description: 'Only the kinds these teams own.' }) owners?: ExceptionOwner[];
  @Field(() => ID, { nullable: true }) orderId?: string;
  @Field(() => Int, { nullable: true, description: 'Only exceptions first detected at least this many seconds ago.' }) minAgeSeconds?: number;
  @Field(() => ExceptionWindow, { nullable: true }) window?: ExceptionWindow;
  @Field(() => ExceptionDecision, { nullable: true, description: 'The latest decision taken.' }) decision?: ExceptionDecision;
  @Field(() => [MoneyExceptionStatus], { nullable: true, description: 'Default: OPEN and DECIDED (the unresolved ones).' }) status?: MoneyExceptionStatus[];
}

@InputType()
export class DecideExceptionInput {
  @Field(() => ID) exceptionId: string;
  @Field(() => ExceptionDecision) decision: ExceptionDecision;
  @Field({ description: 'Why: kept with the decision and in the audit log (1–1024 characters).' }) note: string;
}

@ObjectType()
export class DecideExceptionPayload {
  @Field(() => MoneyException, { nullable: true }) exception: MoneyException | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ObjectType()
export class OldestUnresolvedCapture {
  @Field(() => ID) exceptionId: string;
  @Field(() => MoneyExceptionKind) kind: MoneyExceptionKind;
  @Field(() => ID, { nullable: true }) captureId: string | null;
  @Field(() => ID, { nullable: true }) pspReference: string | null;
  @Field(() => ID, { nullable: true }) orderId: string | null;
  @Field() capturedAt: Date;
  @Field(() => Money, { nullable: true }) amount: Money | null;
}

export enum AutomatedRetriesState {
  RUNNING = 'RUNNING',
  /** Paused on the held orders, running elsewhere. */
  PAUSED_ON_HELD_ORDERS = 'PAUSED_ON_HELD_ORDERS',
}
registerEnumType(AutomatedRetriesState, { name: 'AutomatedRetriesState' });

@ObjectType()
export class AutomatedRetries {
  @Field(() => AutomatedRetriesState) state: AutomatedRetriesState;
  @Field(() => Int, { description: 'Orders on hold: no automated refund or recovery touches them.' }) heldOrders: number;
  @Field(() => Int, { description: 'Unresolved exceptions where a replay could move money twice.' }) duplicateRiskExceptions: number;
}

@ObjectType({ description: "Seed 003's stakeholder summary for money that moved in [from, to), without gateway jargon." })
export class MoneySummary {
  @Field() from: Date;
  @Field() to: Date;
  @Field(() => Int, { description: 'Distinct customers with a capture in the period.' }) customersCharged: number;
  @Field(() => Int) paymentsCharged: number;
  @Field(() => Int, { description: 'Charged payments whose order exists, is not rejected or canceled, and has no unresolved exception.' }) ordersComplete: number;
  @Field(() => Int, { description: 'Charged payments whose order creation failed or was rejected, not refunded yet.' }) awaitingRepair: number;
  @Field(() => Int, { description: 'Charged payments with at least one successful refund.' }) paymentsRefunded: number;
  @Field(() => [Money]) chargedAmount: Money[];
  @Field(() => [Money]) refundedAmount: Money[];
  @Field(() => [Money], { description: 'Unresolved exceptions owned by finance or on hold.' }) amountHeldForFinanceReview: Money[];
  @Field(() => Int) unresolvedExceptions: number;
  @Field(() => Int) undecidedExceptions: number;
  @Field(() => Int, { description: 'Undecided exceptions past their settlement cut-off.' }) overdueDecisions: number;
  @Field(() => OldestUnresolvedCapture, { nullable: true }) oldestUnresolvedCapture: OldestUnresolvedCapture | null;
  @Field(() => Date, { nullable: true, description: 'The earliest settlement cut-off still ahead for an undecided exception.' }) nextDecisionDeadline: Date | null;
  @Field(() => AutomatedRetries) automatedRetries: AutomatedRetries;
}
