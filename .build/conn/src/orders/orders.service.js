"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.listOrders = listOrders;
const typeorm_1 = require("typeorm");
const connection_1 = require("../graphql/connection");
const errors_1 = require("../graphql/errors");
const oms_1 = require("../systems/oms");
const refunds_1 = require("../refunds");
/** Newest first, keyset-paged; fetches one row more than asked to know whether a next page exists. */
async function listOrders(ctx, filter, size, after) {
    if (filter.createdFrom && filter.createdTo && filter.createdTo < filter.createdFrom) {
        throw (0, errors_1.badInput)('`createdTo` must not be before `createdFrom`', 'filter.createdTo');
    }
    const qb = ctx.manager.getRepository(oms_1.OrderEntity).createQueryBuilder('o');
    if (filter.status?.length)
        qb.andWhere('o.status IN (:...status)', { status: filter.status });
    if (filter.createdFrom)
        qb.andWhere('o.createdAt >= :from', { from: filter.createdFrom });
    if (filter.createdTo)
        qb.andWhere('o.createdAt < :to', { to: filter.createdTo });
    if (filter.currencyCode)
        qb.andWhere('o.currency = :cur', { cur: filter.currencyCode });
    if (filter.hasPendingRefund === true)
        qb.andWhere((0, refunds_1.pendingRefundExistsSql)('o.id'));
    if (filter.hasPendingRefund === false)
        qb.andWhere(`NOT ${(0, refunds_1.pendingRefundExistsSql)('o.id')}`);
    if (after) {
        const [t, id] = (0, connection_1.decodeCursor)(after, 2);
        const at = new Date(String(t));
        if (Number.isNaN(at.getTime()))
            throw (0, errors_1.badInput)('Invalid cursor: pass back a cursor this API returned', 'after');
        qb.andWhere(new typeorm_1.Brackets((w) => w.where('o.createdAt < :at', { at }).orWhere('(o.createdAt = :at AND o.id < :id)', { at, id: String(id) })));
    }
    return qb.orderBy('o.createdAt', 'DESC').addOrderBy('o.id', 'DESC').take(size + 1).getMany();
}
//# sourceMappingURL=orders.service.js.map