"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createPspLoaders = createPspLoaders;
const loader_utils_1 = require("../../graphql/loader-utils");
const entities_1 = require("./entities");
function createPspLoaders(ctx) {
    return {
        paymentById: (0, loader_utils_1.oneLoader)(ctx, entities_1.PaymentEntity, 'id'),
        paymentsByOrderId: (0, loader_utils_1.manyLoader)(ctx, entities_1.PaymentEntity, 'orderId', { createdAt: 'ASC', id: 'ASC' }),
        captureById: (0, loader_utils_1.oneLoader)(ctx, entities_1.CaptureEntity, 'id'),
        capturesByOrderId: (0, loader_utils_1.manyLoader)(ctx, entities_1.CaptureEntity, 'orderId', { capturedAt: 'ASC', id: 'ASC' }),
        capturesByPaymentId: (0, loader_utils_1.manyLoader)(ctx, entities_1.CaptureEntity, 'paymentId', { capturedAt: 'ASC', id: 'ASC' }),
        settlementById: (0, loader_utils_1.oneLoader)(ctx, entities_1.SettlementEntity, 'id'),
        settlementLinesByOrderId: (0, loader_utils_1.manyLoader)(ctx, entities_1.SettlementLineEntity, 'orderId', { id: 'ASC' }),
        settlementLinesBySettlementId: (0, loader_utils_1.manyLoader)(ctx, entities_1.SettlementLineEntity, 'settlementId', { id: 'ASC' }),
    };
}
//# sourceMappingURL=psp.loaders.js.map