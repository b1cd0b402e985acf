"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createErpLoaders = createErpLoaders;
const loader_utils_1 = require("../../graphql/loader-utils");
const entities_1 = require("./entities");
function createErpLoaders(ctx) {
    return {
        erpPostingsByOrderId: (0, loader_utils_1.manyLoader)(ctx, entities_1.ErpPostingEntity, 'orderId', { postedAt: 'ASC', id: 'ASC' }),
    };
}
//# sourceMappingURL=erp.loaders.js.map