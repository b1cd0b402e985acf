"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.pendingRefundsOf = exports.RefundResolver = exports.OrderRefundsResolver = exports.toRefund = exports.PendingRefunds = exports.Refund = exports.pendingRefundExistsSql = exports.PendingAction = exports.computePendingRefunds = void 0;
/**
 * Refunds module: owns the refund ledger, the pending-refund calculation and refund execution.
 * It is the use case that spans OMS (invoiceData), PSP (the refund call) and ERP (the posting).
 */
__exportStar(require("./entities"), exports);
var pending_refunds_1 = require("./pending-refunds");
Object.defineProperty(exports, "computePendingRefunds", { enumerable: true, get: function () { return pending_refunds_1.computePendingRefunds; } });
Object.defineProperty(exports, "PendingAction", { enumerable: true, get: function () { return pending_refunds_1.PendingAction; } });
var refund_queries_1 = require("./refund.queries");
Object.defineProperty(exports, "pendingRefundExistsSql", { enumerable: true, get: function () { return refund_queries_1.pendingRefundExistsSql; } });
var refund_types_1 = require("./graphql/refund.types");
Object.defineProperty(exports, "Refund", { enumerable: true, get: function () { return refund_types_1.Refund; } });
Object.defineProperty(exports, "PendingRefunds", { enumerable: true, get: function () { return refund_types_1.PendingRefunds; } });
Object.defineProperty(exports, "toRefund", { enumerable: true, get: function () { return refund_types_1.toRefund; } });
var refund_resolver_1 = require("./graphql/refund.resolver");
Object.defineProperty(exports, "OrderRefundsResolver", { enumerable: true, get: function () { return refund_resolver_1.OrderRefundsResolver; } });
Object.defineProperty(exports, "RefundResolver", { enumerable: true, get: function () { return refund_resolver_1.RefundResolver; } });
Object.defineProperty(exports, "pendingRefundsOf", { enumerable: true, get: function () { return refund_resolver_1.pendingRefundsOf; } });
//# sourceMappingURL=index.js.map