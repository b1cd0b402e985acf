"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isOrderOnHold = isOrderOnHold;
exports.holdOrder = holdOrder;
exports.releaseOrder = releaseOrder;
const order_hold_entity_1 = require("./order-hold.entity");
/** Automated refunds and recovery ask this first; an admin's explicit action is not blocked. */
async function isOrderOnHold(ctx, orderId) {
    return (await ctx.manager.getRepository(order_hold_entity_1.OrderHoldEntity).count({ where: { orderId } })) > 0;
}
async function holdOrder(tx, h) {
    await tx.manager.query(`INSERT INTO order_hold (order_id, exception_id, held_by, note, held_at) VALUES (?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE exception_id = VALUES(exception_id), held_by = VALUES(held_by), note = VALUES(note), held_at = VALUES(held_at)`, [h.orderId, h.exceptionId ?? null, tx.actor.subject, h.note.slice(0, 1024), tx.now]);
}
async function releaseOrder(tx, orderId) {
    const r = await tx.manager.getRepository(order_hold_entity_1.OrderHoldEntity).delete({ orderId });
    return (r.affected ?? 0) > 0;
}
//# sourceMappingURL=holds.js.map