/** The reconcile command, shared by the GraphQL mutation and the CLI (scripts/reconcile.ts). */
import { RequestContext } from '../db/context';
import { BusinessError } from '../shared/errors';
import { runReconciliationAndRefresh } from './checkpoint-run';
import { reconciliationReport } from './live-report';
import { checkPeriod, Period } from './period';
import { Progress, ReconciliationResult } from './reconciliation.model';
import { WritebackSummary, writebackSummary } from './writeback-validation';

export interface ReconcileInput {
  from?: Date | null;
  to?: Date | null;
  currencyCode?: string | null;
  dryRun?: boolean | null;
}

export interface ReconcileOutcome {
  run: ReconciliationResult | null;
  report: ReconciliationResult | null;
  writeback: WritebackSummary | null;
  userErrors: BusinessError[];
}

/** Validates the period, then either persists a checkpoint run or, as a dry run, computes the report and the writeback validation. */
export async function reconcile(ctx: RequestContext, input: ReconcileInput, onProgress?: Progress): Promise<ReconcileOutcome> {
  let period: Period;
  try {
    period = checkPeriod(ctx.app.config, input.from, input.to);
  } catch (e) {
    if (e instanceof BusinessError) return { run: null, report: null, writeback: null, userErrors: [e] };
    throw e;
  }
  const currency = input.currencyCode ?? null;
  if (input.dryRun) {
    const report = await reconciliationReport(ctx, period, currency);
    const writeback = await writebackSummary(ctx, period, currency);
    return { run: null, report, writeback, userErrors: [] };
  }
  return { run: await runReconciliationAndRefresh(ctx, period, currency, onProgress), report: null, writeback: null, userErrors: [] };
}
