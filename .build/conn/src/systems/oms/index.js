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
exports.OmsConnector = exports.omsReferenceResolvers = exports.InvoiceResolver = exports.OrderResolver = exports.findOrder = exports.buildInvoiceData = exports.toInvoice = exports.toOrder = exports.InvoiceDataEntry = exports.InvoiceData = exports.OrderInteraction = exports.Invoice = exports.Order = void 0;
/**
 * OMS module: owns orders, invoices, the order timeline and both copies of invoiceData.
 * Other modules import only what is exported here.
 */
var oms_types_1 = require("./graphql/oms.types");
Object.defineProperty(exports, "Order", { enumerable: true, get: function () { return oms_types_1.Order; } });
Object.defineProperty(exports, "Invoice", { enumerable: true, get: function () { return oms_types_1.Invoice; } });
Object.defineProperty(exports, "OrderInteraction", { enumerable: true, get: function () { return oms_types_1.OrderInteraction; } });
Object.defineProperty(exports, "InvoiceData", { enumerable: true, get: function () { return oms_types_1.InvoiceData; } });
Object.defineProperty(exports, "InvoiceDataEntry", { enumerable: true, get: function () { return oms_types_1.InvoiceDataEntry; } });
Object.defineProperty(exports, "toOrder", { enumerable: true, get: function () { return oms_types_1.toOrder; } });
Object.defineProperty(exports, "toInvoice", { enumerable: true, get: function () { return oms_types_1.toInvoice; } });
__exportStar(require("./entities"), exports);
var oms_service_1 = require("./oms.service");
Object.defineProperty(exports, "buildInvoiceData", { enumerable: true, get: function () { return oms_service_1.buildInvoiceData; } });
Object.defineProperty(exports, "findOrder", { enumerable: true, get: function () { return oms_service_1.findOrder; } });
var order_resolver_1 = require("./graphql/order.resolver");
Object.defineProperty(exports, "OrderResolver", { enumerable: true, get: function () { return order_resolver_1.OrderResolver; } });
Object.defineProperty(exports, "InvoiceResolver", { enumerable: true, get: function () { return order_resolver_1.InvoiceResolver; } });
Object.defineProperty(exports, "omsReferenceResolvers", { enumerable: true, get: function () { return order_resolver_1.omsReferenceResolvers; } });
var oms_connector_1 = require("./oms.connector");
Object.defineProperty(exports, "OmsConnector", { enumerable: true, get: function () { return oms_connector_1.OmsConnector; } });
//# sourceMappingURL=index.js.map