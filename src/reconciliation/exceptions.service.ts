/**
 * Money exceptions: refresh (the classifier), queries, the stakeholder summary and owner decisions.
 * The parts live beside this file: exceptions.refresh.ts, exceptions.queries.ts, exceptions.decisions.ts.
 */
/** @public */
export { refreshExceptions, ensureFresh, type RefreshResult } from './exceptions.refresh';
export { listExceptions, exceptionsOfOrders, moneySummary, type MoneyExceptionFilter, type MoneySummaryResult } from './exceptions.queries';
export { decideException, type DecideInput, type DecideResult } from './exceptions.decisions';
