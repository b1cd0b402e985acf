"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.listSettlements = listSettlements;
const connection_1 = require("../../graphql/connection");
const entities_1 = require("./entities");
/** Newest first; fetches one row more than asked so the caller knows whether a next page exists. */
async function listSettlements(ctx, filter, size, after) {
    const qb = ctx.manager.getRepository(entities_1.SettlementEntity).createQueryBuilder('s');
    if (filter.settledFrom)
        qb.andWhere('s.settledAt >= :from', { from: filter.settledFrom });
    if (filter.settledTo)
        qb.andWhere('s.settledAt < :to', { to: filter.settledTo });
    if (filter.currencyCode)
        qb.andWhere('s.currency = :cur', { cur: filter.currencyCode });
    if (after) {
        const [t, id] = (0, connection_1.decodeCursor)(after, 2);
        const at = new Date(String(t));
        if (Number.isNaN(at.getTime()))
            (0, connection_1.decodeCursor)('', 2);
        qb.andWhere('(s.settledAt < :at OR (s.settledAt = :at AND s.id < :id))', { at, id: String(id) });
    }
    return qb.orderBy('s.settledAt', 'DESC').addOrderBy('s.id', 'DESC').take(size + 1).getMany();
}
//# sourceMappingURL=psp.service.js.map