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
exports.OMS_ENTITIES = void 0;
const interaction_entity_1 = require("./interaction.entity");
const invoice_data_entity_1 = require("./invoice-data.entity");
const invoice_entity_1 = require("./invoice.entity");
const order_entity_1 = require("./order.entity");
__exportStar(require("./order.entity"), exports);
__exportStar(require("./invoice.entity"), exports);
__exportStar(require("./interaction.entity"), exports);
__exportStar(require("./invoice-data.entity"), exports);
exports.OMS_ENTITIES = [order_entity_1.OrderEntity, invoice_entity_1.InvoiceEntity, interaction_entity_1.InteractionEntity, invoice_data_entity_1.InvoiceDataEntity];
//# sourceMappingURL=index.js.map