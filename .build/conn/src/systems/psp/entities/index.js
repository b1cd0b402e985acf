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
exports.PSP_ENTITIES = void 0;
const capture_entity_1 = require("./capture.entity");
const payment_entity_1 = require("./payment.entity");
const settlement_entity_1 = require("./settlement.entity");
__exportStar(require("./payment.entity"), exports);
__exportStar(require("./capture.entity"), exports);
__exportStar(require("./settlement.entity"), exports);
exports.PSP_ENTITIES = [payment_entity_1.PaymentEntity, capture_entity_1.CaptureEntity, settlement_entity_1.SettlementEntity, settlement_entity_1.SettlementLineEntity];
//# sourceMappingURL=index.js.map