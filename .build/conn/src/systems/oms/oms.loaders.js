"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createOmsLoaders = createOmsLoaders;
const loader_utils_1 = require("../../graphql/loader-utils");
const entities_1 = require("./entities");
function createOmsLoaders(ctx) {
    return {
        orderById: (0, loader_utils_1.oneLoader)(ctx, entities_1.OrderEntity, 'id'),
        invoiceById: (0, loader_utils_1.oneLoader)(ctx, entities_1.InvoiceEntity, 'id'),
        invoicesByOrderId: (0, loader_utils_1.manyLoader)(ctx, entities_1.InvoiceEntity, 'orderId', { issuedAt: 'ASC', id: 'ASC' }),
        interactionsByOrderId: (0, loader_utils_1.manyLoader)(ctx, entities_1.InteractionEntity, 'orderId', { occurredAt: 'ASC', id: 'ASC' }),
        invoiceDataByOrderId: (0, loader_utils_1.manyLoader)(ctx, entities_1.InvoiceDataEntity, 'orderId', { invoiceId: 'ASC' }),
    };
}
//# sourceMappingURL=oms.loaders.js.map