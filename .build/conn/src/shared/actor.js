"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ANONYMOUS_ACTOR = exports.SYSTEM_ACTOR = exports.Role = void 0;
var Role;
(function (Role) {
    Role["SUPPORT"] = "SUPPORT";
    Role["ANALYST"] = "ANALYST";
    Role["FINANCE"] = "FINANCE";
    Role["ADMIN"] = "ADMIN";
    /** Background workers and webhook processing act as the system. */
    Role["SYSTEM"] = "SYSTEM";
})(Role || (exports.Role = Role = {}));
exports.SYSTEM_ACTOR = Object.freeze({ subject: 'moneygraph', role: Role.SYSTEM, kind: 'system' });
/** A request without credentials: allowed nowhere but the health endpoints. */
exports.ANONYMOUS_ACTOR = Object.freeze({ subject: 'anonymous', role: Role.SUPPORT, kind: 'anonymous' });
//# sourceMappingURL=actor.js.map