"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.oneLoader = oneLoader;
exports.manyLoader = manyLoader;
const dataloader_1 = __importDefault(require("dataloader"));
const typeorm_1 = require("typeorm");
/**
 * Loaders return results in key order through a Map; a missing one-to-one is null and a missing
 * list is []. Batches are capped so one `IN (…)` never grows without bound.
 */
function oneLoader(ctx, entity, column) {
    return new dataloader_1.default(async (keys) => {
        const rows = await ctx.manager.getRepository(entity).find({ where: { [column]: (0, typeorm_1.In)(keys) } });
        const byKey = new Map(rows.map((r) => [r[column], r]));
        return keys.map((k) => byKey.get(k) ?? null);
    }, { maxBatchSize: ctx.app.config.loaderMaxBatch });
}
function manyLoader(ctx, entity, column, order) {
    return new dataloader_1.default(async (keys) => {
        const rows = await ctx.manager
            .getRepository(entity)
            .find({ where: { [column]: (0, typeorm_1.In)(keys) }, order: order });
        const byKey = new Map();
        for (const r of rows) {
            const list = byKey.get(r[column]);
            if (list)
                list.push(r);
            else
                byKey.set(r[column], [r]);
        }
        return keys.map((k) => byKey.get(k) ?? []);
    }, { maxBatchSize: ctx.app.config.loaderMaxBatch });
}
//# sourceMappingURL=loader-utils.js.map