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
exports.ErpConnector = exports.OrderErpResolver = exports.toErpPosting = exports.ErpPosting = void 0;
/**
 * ERP module: owns the mirror of the ERP's journal postings and the ERP connector.
 * Other modules import only what is exported here.
 */
__exportStar(require("./entities"), exports);
var erp_resolver_1 = require("./graphql/erp.resolver");
Object.defineProperty(exports, "ErpPosting", { enumerable: true, get: function () { return erp_resolver_1.ErpPosting; } });
Object.defineProperty(exports, "toErpPosting", { enumerable: true, get: function () { return erp_resolver_1.toErpPosting; } });
Object.defineProperty(exports, "OrderErpResolver", { enumerable: true, get: function () { return erp_resolver_1.OrderErpResolver; } });
var erp_connector_1 = require("./erp.connector");
Object.defineProperty(exports, "ErpConnector", { enumerable: true, get: function () { return erp_connector_1.ErpConnector; } });
//# sourceMappingURL=index.js.map