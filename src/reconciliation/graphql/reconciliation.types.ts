import { GraphQLError } from 'graphql';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Config } from '../../config';
import { ConnectionType } from '../../graphql/connection';
import { Money, toMoney } from '../../graphql/money.type';
import { CurrencyCode } from '../../graphql/scalars';
import { UserError } from '../../graphql/user-error.type';
import { BusinessError } from '../../shared/errors';
import { checkPeriod, Period } from '../period';
import {
  DiscrepancyKind,
  ReconciliationResult,
  ReconciliationStatus,
  VarianceRow,
  WritebackDiff as WritebackDiffRow,
  WritebackOutcome,
  WritebackSummary,
} from '../reconciliation.service';

registerEnumType(DiscrepancyKind, { name: 'DiscrepancyKind' });
registerEnumType(ReconciliationStatus, {
  name: 'ReconciliationStatus',
  description: 'CLEAN is a positive confirmation (events seen, zero variance); NO_EVENTS_ALARM means nothing arrived where something was expected.',
});
registerEnumType(WritebackOutcome, { name: 'WritebackOutcome' });

enum ReconciliationSystem {
  PSP = 'PSP',
  ERP = 'ERP',
  BOTH = 'BOTH',
}
registerEnumType(ReconciliationSystem, { name: 'ReconciliationSystem', description: 'Which system holds the record (BOTH: both do, and they disagree).' });

@ObjectType({ description: 'The three columns, per currency.' })
class ReconciliationTotals {
  @Field(() => CurrencyCode) currencyCode: string;
  @Field(() => Money, { description: 'SUCCEEDED refunds of the PSP/OMS ledger in the period.' }) pspTotal: Money;
  @Field(() => Money, { description: 'What the ERP posted for those refund ids, plus refund postings of the period it cannot tie to any refund.' }) erpTotal: Money;
  @Field(() => Money, { description: 'pspTotal − erpTotal: the sum of the variance rows.' }) netVariance: Money;
  @Field(() => Int) refunds: number;
}

@ObjectType()
class ReconciliationEventCounts {
  @Field(() => Int) pspRefunds: number;
  @Field(() => Int) erpRefundPostings: number;
  @Field(() => Int, { description: 'ERP postings of every kind.' }) erpPostings: number;
  @Field(() => Int) captures: number;
  @Field(() => Int) orders: number;
  @Field(() => Int) webhookEvents: number;
}

@ObjectType()
class DiscrepancyCount {
  @Field(() => DiscrepancyKind) kind: DiscrepancyKind;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'One refund id on which the PSP/OMS ledger and the ERP disagree.' })
class ReconciliationVariance {
  @Field({ description: 'The PSP refund id (the ERP externalRef).' }) refundId: string;
  @Field(() => DiscrepancyKind) kind: DiscrepancyKind;
  @Field(() => ReconciliationSystem) recordIn: ReconciliationSystem;
  @Field(() => ID, { nullable: true }) orderId: string | null;
  @Field(() => Money, { nullable: true }) pspAmount: Money | null;
  @Field(() => Money, { nullable: true }) erpAmount: Money | null;
  @Field(() => Money, { description: 'PSP minus ERP.' }) amountDelta: Money;
  @Field(() => String, { nullable: true }) pspStatus: string | null;
  @Field(() => String, { nullable: true, description: 'NOT_POSTED, POSTED, REJECTED, DUPLICATE or REVISED.' }) erpStatus: string | null;
  @Field(() => [String]) erpDocumentIds: string[];
  @Field(() => Date, { nullable: true }) occurredAt: Date | null;
  @Field({ description: 'The first checkpoint run that found this discrepancy (or now).' }) firstDetectedAt: Date;
  @Field(() => Int) ageSeconds: number;
}

export function toVariance(v: VarianceRow, now: Date): ReconciliationVariance {
  const m = (x: bigint | null) => (x === null ? null : toMoney(x, v.currency));
  return Object.assign(new ReconciliationVariance(), {
    refundId: v.refundRef,
    kind: v.kind,
    recordIn: v.recordIn as ReconciliationSystem,
    orderId: v.orderId,
    pspAmount: m(v.pspAmountMinor),
    erpAmount: m(v.erpAmountMinor),
    amountDelta: toMoney(v.deltaMinor, v.currency),
    pspStatus: v.pspStatus,
    erpStatus: v.erpStatus,
    erpDocumentIds: v.erpDocumentIds,
    occurredAt: v.occurredAt,
    firstDetectedAt: v.firstDetectedAt,
    ageSeconds: Math.max(0, Math.floor((now.getTime() - v.firstDetectedAt.getTime()) / 1000)),
  });
}

export const ReconciliationVarianceConnection = ConnectionType('ReconciliationVariance', ReconciliationVariance);

/** The fields a live report and a persisted run share; never referenced itself, so not emitted. */
@ObjectType('ReconciliationFigures')
abstract class ReconciliationFigures {
  @Field() from: Date;
  @Field() to: Date;
  @Field(() => CurrencyCode, { nullable: true, description: 'null: every currency.' }) currencyCode: string | null;
  @Field(() => ReconciliationStatus) status: ReconciliationStatus;
  @Field({ description: 'The positive confirmation, the variance summary or the alarm, in one sentence.' }) confirmation: string;
  @Field(() => [ReconciliationTotals]) totals: ReconciliationTotals[];
  @Field(() => ReconciliationEventCounts) events: ReconciliationEventCounts;
  @Field(() => Int) varianceCount: number;
  @Field(() => [DiscrepancyCount]) variancesByKind: DiscrepancyCount[];
  /** For the variances field resolver. */
  period: Period;
}

@ObjectType({ description: 'The live report: computed on request, not persisted.' })
export class ReconciliationReport extends ReconciliationFigures {
  @Field() generatedAt: Date;
}

@ObjectType({ description: 'A persisted checkpoint run.' })
export class ReconciliationRun extends ReconciliationFigures {
  @Field(() => ID) id: string;
  @Field() requestedBy: string;
  @Field() startedAt: Date;
  @Field() finishedAt: Date;
}

function figures(r: ReconciliationResult) {
  return {
    from: r.period.from,
    to: r.period.to,
    period: r.period,
    currencyCode: r.currency,
    status: r.status,
    confirmation: r.confirmation,
    totals: r.totals.map((t) =>
      Object.assign(new ReconciliationTotals(), {
        currencyCode: t.currency,
        pspTotal: toMoney(t.pspTotalMinor, t.currency),
        erpTotal: toMoney(t.erpTotalMinor, t.currency),
        netVariance: toMoney(t.varianceMinor, t.currency),
        refunds: t.refundCount,
      }),
    ),
    events: Object.assign(new ReconciliationEventCounts(), r.events),
    varianceCount: r.varianceCount,
    variancesByKind: Object.entries(r.varianceByKind)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, count]) => Object.assign(new DiscrepancyCount(), { kind, count })),
  };
}

export const toReport = (r: ReconciliationResult) => Object.assign(new ReconciliationReport(), figures(r), { generatedAt: r.finishedAt });
export const toRun = (r: ReconciliationResult) =>
  Object.assign(new ReconciliationRun(), figures(r), { id: r.id!, requestedBy: r.requestedBy, startedAt: r.startedAt, finishedAt: r.finishedAt });

export const ReconciliationRunConnection = ConnectionType('ReconciliationRun', ReconciliationRun);

@ArgsType()
export class PeriodArgs {
  @Field({ description: 'Start of the period (inclusive).' }) from: Date;
  @Field({ description: 'End of the period (exclusive); at most RECONCILIATION_MAX_DAYS after from.' }) to: Date;
}

/** Queries have no userErrors: a bad period is BAD_USER_INPUT, with the business code beside it. */
export function checkPeriodForQuery(config: Config, from: Date | null | undefined, to: Date | null | undefined): Period {
  try {
    return checkPeriod(config, from, to);
  } catch (e) {
    if (!(e instanceof BusinessError)) throw e;
    throw new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT', reason: e.code, field: e.field?.join('.') } });
  }
}

@ArgsType()
export class ReportArgs extends PeriodArgs {
  @Field(() => CurrencyCode, { nullable: true, description: 'Only this currency; every currency when omitted.' }) currencyCode?: string | null;
}

@InputType()
export class RunReconciliationInput {
  @Field() from: Date;
  @Field({ description: 'Exclusive.' }) to: Date;
  @Field(() => CurrencyCode, { nullable: true }) currencyCode?: string;
  @Field({ nullable: true, description: 'Compute the report and the writeback validation without persisting a run.' }) dryRun?: boolean;
}

@ObjectType()
class ExpectedErpPosting {
  @Field({ description: 'Always REFUND.' }) kind: string;
  @Field() externalRef: string;
  @Field(() => ID, { nullable: true }) orderId: string | null;
  @Field(() => Money) amount: Money;
}

@ObjectType({ description: 'An expected ERP posting that the ERP does not hold as expected (or a posting nothing explains).' })
class WritebackDiff {
  @Field() externalRef: string;
  @Field(() => WritebackOutcome) outcome: WritebackOutcome;
  @Field(() => ExpectedErpPosting, { nullable: true, description: 'null for UNEXPECTED postings.' }) expected: ExpectedErpPosting | null;
  @Field(() => [String]) actualDocumentIds: string[];
  @Field(() => ID, { nullable: true }) actualOrderId: string | null;
  @Field(() => Money, { nullable: true }) actualAmount: Money | null;
  @Field(() => String, { nullable: true }) actualStatus: string | null;
}

export function toWritebackDiff(d: WritebackDiffRow): WritebackDiff {
  return Object.assign(new WritebackDiff(), {
    externalRef: d.externalRef,
    outcome: d.outcome,
    expected: d.expected
      ? Object.assign(new ExpectedErpPosting(), {
          kind: 'REFUND',
          externalRef: d.externalRef,
          orderId: d.expected.orderId,
          amount: toMoney(d.expected.amountMinor, d.expected.currency),
        })
      : null,
    actualDocumentIds: d.actual.documentIds,
    actualOrderId: d.actual.orderId,
    actualAmount: d.actual.amountMinor !== null && d.actual.currency ? toMoney(d.actual.amountMinor, d.actual.currency) : null,
    actualStatus: d.actual.status,
  });
}

export const WritebackDiffConnection = ConnectionType('WritebackDiff', WritebackDiff);

@ObjectType()
class WritebackOutcomeCount {
  @Field(() => WritebackOutcome) outcome: WritebackOutcome;
  @Field(() => Int) count: number;
}

@ObjectType({ description: "Seed 002 step 4: the ERP postings the period's refunds should have produced, diffed with what the ERP holds. Nothing is written." })
export class WritebackValidation {
  @Field() from: Date;
  @Field() to: Date;
  @Field(() => CurrencyCode, { nullable: true }) currencyCode: string | null;
  @Field(() => Int) expectedPostings: number;
  @Field(() => Int) matching: number;
  @Field(() => Int) differing: number;
  @Field(() => Int, { description: 'ERP refund postings of the period no refund explains.' }) unexpected: number;
  @Field(() => [WritebackOutcomeCount]) outcomes: WritebackOutcomeCount[];
  period: Period;
}

export function toWritebackValidation(s: WritebackSummary): WritebackValidation {
  return Object.assign(new WritebackValidation(), {
    from: s.period.from,
    to: s.period.to,
    period: s.period,
    currencyCode: s.currency,
    expectedPostings: s.expected,
    matching: s.matching,
    differing: s.differing,
    unexpected: s.unexpected,
    outcomes: Object.entries(s.byOutcome)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([outcome, count]) => Object.assign(new WritebackOutcomeCount(), { outcome, count })),
  });
}

@ObjectType()
export class RunReconciliationPayload {
  @Field(() => ReconciliationRun, { nullable: true, description: 'The persisted run (null on a dry run or an error).' }) run: ReconciliationRun | null;
  @Field(() => ReconciliationReport, { nullable: true, description: "The dry run's report." }) report: ReconciliationReport | null;
  @Field(() => WritebackValidation, { nullable: true, description: "The dry run's writeback validation." }) writebackValidation: WritebackValidation | null;
  @Field(() => [UserError]) userErrors: UserError[];
}
