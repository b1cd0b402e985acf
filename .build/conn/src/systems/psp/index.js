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
exports.normalizeRefundWebhook = exports.canonicalWebhookError = exports.canonicalRefundError = exports.PspConnector = exports.pspReferenceResolvers = exports.SettlementResolver = exports.CaptureResolver = exports.PaymentResolver = exports.OrderPaymentsResolver = exports.toCapture = exports.toPayment = exports.SettlementLine = exports.Settlement = exports.Capture = exports.Payment = void 0;
/**
 * PSP module: owns payments, captures and settlement batches as the PSP reports them, and the
 * PSP connector. Other modules import only what is exported here.
 */
__exportStar(require("./entities"), exports);
var psp_types_1 = require("./graphql/psp.types");
Object.defineProperty(exports, "Payment", { enumerable: true, get: function () { return psp_types_1.Payment; } });
Object.defineProperty(exports, "Capture", { enumerable: true, get: function () { return psp_types_1.Capture; } });
Object.defineProperty(exports, "Settlement", { enumerable: true, get: function () { return psp_types_1.Settlement; } });
Object.defineProperty(exports, "SettlementLine", { enumerable: true, get: function () { return psp_types_1.SettlementLine; } });
Object.defineProperty(exports, "toPayment", { enumerable: true, get: function () { return psp_types_1.toPayment; } });
Object.defineProperty(exports, "toCapture", { enumerable: true, get: function () { return psp_types_1.toCapture; } });
var psp_resolver_1 = require("./graphql/psp.resolver");
Object.defineProperty(exports, "OrderPaymentsResolver", { enumerable: true, get: function () { return psp_resolver_1.OrderPaymentsResolver; } });
Object.defineProperty(exports, "PaymentResolver", { enumerable: true, get: function () { return psp_resolver_1.PaymentResolver; } });
Object.defineProperty(exports, "CaptureResolver", { enumerable: true, get: function () { return psp_resolver_1.CaptureResolver; } });
Object.defineProperty(exports, "SettlementResolver", { enumerable: true, get: function () { return psp_resolver_1.SettlementResolver; } });
Object.defineProperty(exports, "pspReferenceResolvers", { enumerable: true, get: function () { return psp_resolver_1.pspReferenceResolvers; } });
var psp_connector_1 = require("./psp.connector");
Object.defineProperty(exports, "PspConnector", { enumerable: true, get: function () { return psp_connector_1.PspConnector; } });
var psp_errors_1 = require("./psp-errors");
Object.defineProperty(exports, "canonicalRefundError", { enumerable: true, get: function () { return psp_errors_1.canonicalRefundError; } });
Object.defineProperty(exports, "canonicalWebhookError", { enumerable: true, get: function () { return psp_errors_1.canonicalWebhookError; } });
Object.defineProperty(exports, "normalizeRefundWebhook", { enumerable: true, get: function () { return psp_errors_1.normalizeRefundWebhook; } });
//# sourceMappingURL=index.js.map