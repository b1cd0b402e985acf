"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.authenticate = authenticate;
const actor_1 = require("../shared/actor");
const errors_1 = require("./errors");
/**
 * Resolves the caller from the Authorization header. No header → the anonymous actor (refused by
 * every operation's permission check); a header that does not verify → UNAUTHENTICATED at once.
 */
function authenticate(config, authorization) {
    if (!authorization)
        return actor_1.ANONYMOUS_ACTOR;
    const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!m)
        throw (0, errors_1.unauthenticated)('Authorization must be "Bearer <token>"', 401);
    const key = config.apiKeys.get(m[1]);
    if (key)
        return { subject: key.subject, role: key.role, kind: 'service' };
    throw (0, errors_1.unauthenticated)('Invalid credentials', 401);
}
//# sourceMappingURL=authenticate.js.map