/**
 * Reconciliation module: owns money exceptions (classifier, decisions, holds), the stakeholder
 * summary, refund reconciliation checkpoints and the ERP writeback validation.
 */
export { reconciliationModule } from './reconciliation.module';
export * from './entities';
export * from './exception-kinds';
/** @public */
export { isOrderOnHold, holdOrder, releaseOrder } from './holds';
/** @public */
export { refreshExceptions, ensureFresh, listExceptions, decideException, moneySummary } from './exceptions.service';
/** @public */
export { reconcile, reconciliationReport, runReconciliation, writebackSummary, DiscrepancyKind, ReconciliationStatus } from './reconciliation.service';
/** @public */
export { checkPeriod } from './period';
/** @public */
export { createReconciliationLoaders } from './reconciliation.loaders';
