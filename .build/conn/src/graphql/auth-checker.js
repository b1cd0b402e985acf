"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.authChecker = void 0;
const permissions_1 = require("../shared/permissions");
const errors_1 = require("./errors");
/** `@Authorized(Permission.X)`: the actor's role must grant every permission listed. */
const authChecker = ({ context }, permissions) => {
    const actor = context.ctx.actor;
    if (!actor || actor.kind === 'anonymous')
        throw (0, errors_1.unauthenticated)();
    if (permissions.every((p) => (0, permissions_1.hasPermission)(actor.role, p)))
        return true;
    throw (0, errors_1.forbidden)(`Role ${actor.role} lacks ${permissions.filter((p) => !(0, permissions_1.hasPermission)(actor.role, p)).join(', ')}`);
};
exports.authChecker = authChecker;
//# sourceMappingURL=auth-checker.js.map