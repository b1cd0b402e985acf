/**
 * Refund reconciliation (seed 002): PSP/OMS refund ledger against ERP refund postings, per PSP
 * refund id, computed in the database. The parts live beside this file, by job:
 *
 * - variance.sql.ts: the comparison in SQL
 * - reconciliation.model.ts: verdicts, totals, event counts, variance rows
 * - verdict.ts: the period's event counts and the verdict
 * - live-report.ts: the live report (nothing persisted)
 * - checkpoint-run.ts: persisted checkpoint runs and their listing
 * - writeback-validation.ts: the ERP writeback validation (a dry run)
 * - reconcile-command.ts: the command behind the GraphQL mutation and the CLI
 */
export * from './reconciliation.model';
export type { RefRange } from './variance.sql';
export { reconciliationReport, listLiveVariances } from './live-report';
export { runReconciliation, listRunsVariances, listRunVariances, listRuns, findRun } from './checkpoint-run';
export * from './writeback-validation';
export * from './reconcile-command';
