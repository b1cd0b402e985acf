"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createLoaders = createLoaders;
exports.createGqlContext = createGqlContext;
const oms_loaders_1 = require("../systems/oms/oms.loaders");
const psp_loaders_1 = require("../systems/psp/psp.loaders");
const erp_loaders_1 = require("../systems/erp/erp.loaders");
const refund_loaders_1 = require("../refunds/refund.loaders");
/** One fresh loader set per request: nothing cached outlives it. */
function createLoaders(ctx) {
    return {
        ...(0, oms_loaders_1.createOmsLoaders)(ctx),
        ...(0, psp_loaders_1.createPspLoaders)(ctx),
        ...(0, erp_loaders_1.createErpLoaders)(ctx),
        ...(0, refund_loaders_1.createRefundLoaders)(ctx),
    };
}
function createGqlContext(ctx) {
    return { ctx, loaders: createLoaders(ctx), extensions: { requestId: ctx.requestId } };
}
//# sourceMappingURL=context.js.map