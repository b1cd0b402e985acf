"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RequestContext = void 0;
exports.repo = repo;
exports.assertNoTransaction = assertNoTransaction;
const actor_1 = require("../shared/actor");
const ids_1 = require("../shared/ids");
class RequestContext {
    constructor(app, actor, requestId = (0, ids_1.newRequestId)(), tx) {
        this.app = app;
        this.actor = actor;
        this.requestId = requestId;
        this.tx = tx;
    }
    static system(app, requestId) {
        return new RequestContext(app, actor_1.SYSTEM_ACTOR, requestId);
    }
    /** The manager to use: the transaction's when inside one. */
    get manager() {
        return this.tx ?? this.app.dataSource.manager;
    }
    get inTransaction() {
        return this.tx !== undefined;
    }
    withTx(tx) {
        return new RequestContext(this.app, this.actor, this.requestId, tx);
    }
    get log() {
        return this.app.logger.child({ requestId: this.requestId });
    }
    get now() {
        return this.app.clock.now();
    }
}
exports.RequestContext = RequestContext;
function repo(ctx, entity) {
    return ctx.manager.getRepository(entity);
}
/** Connectors call this first: an upstream call must never hold a row lock. */
function assertNoTransaction(ctx, what) {
    if (ctx.inTransaction)
        throw new Error(`${what} must not be called inside a database transaction`);
}
//# sourceMappingURL=context.js.map