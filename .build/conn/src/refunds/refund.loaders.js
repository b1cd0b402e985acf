"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createRefundLoaders = createRefundLoaders;
const loader_utils_1 = require("../graphql/loader-utils");
const entities_1 = require("./entities");
function createRefundLoaders(ctx) {
    return {
        refundById: (0, loader_utils_1.oneLoader)(ctx, entities_1.RefundEntity, 'id'),
        refundsByOrderId: (0, loader_utils_1.manyLoader)(ctx, entities_1.RefundEntity, 'orderId', { createdAt: 'ASC', id: 'ASC' }),
        refundsByPaymentId: (0, loader_utils_1.manyLoader)(ctx, entities_1.RefundEntity, 'paymentId', { createdAt: 'ASC', id: 'ASC' }),
    };
}
//# sourceMappingURL=refund.loaders.js.map