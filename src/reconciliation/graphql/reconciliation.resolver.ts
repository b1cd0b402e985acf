import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { decodeCursor, decodeTimeCursor, pageSize, toConnection } from '../../graphql/connection';
import { GqlContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { toUserError } from '../../graphql/user-error.type';
import { Permission } from '../../shared/permissions';
import { variancePageKey } from '../reconciliation.loaders';
import { findRun, listLiveVariances, listRuns, listWritebackDiffs, reconcile, reconciliationReport, writebackSummary } from '../reconciliation.service';
import {
  checkPeriodForQuery,
  ReconciliationReport,
  ReconciliationRun,
  ReconciliationRunConnection,
  ReconciliationVarianceConnection,
  ReportArgs,
  RunReconciliationInput,
  RunReconciliationPayload,
  toReport,
  toRun,
  toVariance,
  toWritebackDiff,
  toWritebackValidation,
  WritebackDiffConnection,
  WritebackValidation,
} from './reconciliation.types';

@ArgsType()
class PageArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

function refCursor(after: string | undefined | null): string | null {
  if (!after) return null;
  const [ref] = decodeCursor(after, 1);
  if (typeof ref !== 'string') throw badInput('Invalid cursor: pass back a cursor this API returned', 'after');
  return ref;
}

@Resolver(() => ReconciliationReport)
export class ReconciliationReportResolver {
  @Authorized(Permission.READ_REPORTS)
  @Query(() => ReconciliationReport, { description: 'PSP/OMS refund total vs ERP refund total vs net variance for [from, to), computed now.' })
  async reconciliationReport(@Args() { from, to, currencyCode }: ReportArgs, @Ctx() { ctx }: GqlContext): Promise<ReconciliationReport> {
    return toReport(await reconciliationReport(ctx, checkPeriodForQuery(ctx.app.config, from, to), currencyCode ?? null));
  }

  @Authorized(Permission.READ_REPORTS)
  @Query(() => WritebackValidation, { description: 'Dry-run writeback validation (seed 002 step 4) for the refunds of [from, to).' })
  async writebackValidation(@Args() { from, to, currencyCode }: ReportArgs, @Ctx() { ctx }: GqlContext): Promise<WritebackValidation> {
    return toWritebackValidation(await writebackSummary(ctx, checkPeriodForQuery(ctx.app.config, from, to), currencyCode ?? null));
  }

  @Authorized(Permission.READ_REPORTS)
  @Query(() => ReconciliationRunConnection, { description: 'Persisted checkpoint runs, newest first.' })
  async reconciliationRuns(@Args() { first, after }: PageArgs, @Ctx() { ctx }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    let key: [string, string] | null = null;
    if (after) {
      const { at, id } = decodeTimeCursor(after);
      key = [at.toISOString(), id];
    }
    const runs = await listRuns(ctx, size, key);
    return toConnection(runs, size, (r) => [r.startedAt.toISOString(), r.id!], toRun, Boolean(after));
  }

  @Authorized(Permission.READ_REPORTS)
  @Query(() => ReconciliationRun, { nullable: true, description: 'One persisted checkpoint run; null when unknown.' })
  async reconciliationRun(@Arg('id', () => ID) id: string, @Ctx() { ctx }: GqlContext) {
    const run = await findRun(ctx, id.trim());
    return run ? toRun(run) : null;
  }

  @Authorized(Permission.RUN_RECONCILIATION)
  @Mutation(() => RunReconciliationPayload, { description: 'Runs and persists a reconciliation checkpoint (or, with dryRun, only computes it).' })
  async runReconciliation(@Arg('input', () => RunReconciliationInput) input: RunReconciliationInput, @Ctx() { ctx }: GqlContext): Promise<RunReconciliationPayload> {
    const r = await reconcile(ctx, input);
    return Object.assign(new RunReconciliationPayload(), {
      run: r.run ? toRun(r.run) : null,
      report: r.report ? toReport(r.report) : null,
      writebackValidation: r.writeback ? toWritebackValidation(r.writeback) : null,
      userErrors: r.userErrors.map(toUserError),
    });
  }

  @FieldResolver(() => ReconciliationVarianceConnection, { description: 'One row per refund id that disagrees, by refund id.' })
  async variances(@Root() report: ReconciliationReport, @Args() { first, after }: PageArgs, @Ctx() { ctx }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    const rows = await listLiveVariances(ctx, report.period, report.currencyCode, size, refCursor(after));
    const now = ctx.now;
    return toConnection(
      rows,
      size,
      (r) => [r.refundRef],
      (r) => toVariance(r, now),
      Boolean(after),
    );
  }
}

@Resolver(() => ReconciliationRun)
export class ReconciliationRunResolver {
  @FieldResolver(() => ReconciliationVarianceConnection, { description: 'One row per refund id that disagreed, by refund id.' })
  async variances(@Root() run: ReconciliationRun, @Args() { first, after }: PageArgs, @Ctx() { ctx, loaders }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    const rows = await loaders.variancesByRunPage.load(variancePageKey(run.id, size, refCursor(after)));
    const now = ctx.now;
    return toConnection(
      rows,
      size,
      (r) => [r.refundRef],
      (r) => toVariance(r, now),
      Boolean(after),
    );
  }
}

@Resolver(() => WritebackValidation)
export class WritebackValidationResolver {
  @FieldResolver(() => WritebackDiffConnection, { description: 'Every expected posting that does not match, and every unexpected one, by externalRef.' })
  async diffs(@Root() w: WritebackValidation, @Args() { first, after }: PageArgs, @Ctx() { ctx }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    const rows = await listWritebackDiffs(ctx, w.period, w.currencyCode, size, refCursor(after));
    return toConnection(rows, size, (r) => [r.externalRef], toWritebackDiff, Boolean(after));
  }
}
