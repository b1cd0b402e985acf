"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.pendingRefundExistsSql = pendingRefundExistsSql;
/**
 * SQL the refunds module lends to list queries of other modules, so that a filter on "has a
 * pending refund" is one set-based condition, not a loop over orders.
 */
function pendingRefundExistsSql(orderIdExpr) {
    return `EXISTS (SELECT 1 FROM oms_invoice pi WHERE pi.order_id = ${orderIdExpr} AND pi.kind = 'INPUT'
    AND pi.amount_minor > COALESCE((SELECT SUM(pr.amount_minor) FROM refund pr
      WHERE pr.invoice_id = pi.id AND pr.status IN ('REQUESTED','SUBMITTED','SUCCEEDED')), 0))`;
}
//# sourceMappingURL=refund.queries.js.map