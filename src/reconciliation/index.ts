/**
 * Reconciliation module: owns money exceptions (classifier, decisions, holds), the stakeholder
 * summary, refund reconciliation checkpoints and the ERP writeback validation.
 */
export { reconciliationModule } from './reconciliation.module';
export * from './entities';
export * from './exception-kinds';
export { isOrderOnHold, holdOrder, releaseOrder } from './holds';
export { refreshExceptions, ensureFresh, listExceptions, decideException, moneySummary } from './exceptions.service';
export { reconcile, reconciliationReport, runReconciliation, writebackSummary, DiscrepancyKind, ReconciliationStatus } from './reconciliation.service';
export { checkPeriod } from './period';
export { createReconciliationLoaders } from './reconciliation.loaders';
