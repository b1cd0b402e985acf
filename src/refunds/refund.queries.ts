/**
 * SQL the refunds module lends to list queries of other modules, so that a filter on "has a
 * pending refund" is one set-based condition, not a loop over orders. The statement lives in the
 * refund store with the ledger's other SQL.
 */
export { pendingRefundExistsSql } from './refund.store';
