"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROLE_PERMISSIONS = exports.Permission = void 0;
exports.hasPermission = hasPermission;
const actor_1 = require("./actor");
var Permission;
(function (Permission) {
    /** Orders and their money state. */
    Permission["READ_ORDERS"] = "READ_ORDERS";
    /** Unmasked customer identifiers. */
    Permission["READ_CUSTOMER_PII"] = "READ_CUSTOMER_PII";
    /** Exceptions, summaries, reconciliation reports and runs. */
    Permission["READ_REPORTS"] = "READ_REPORTS";
    Permission["RUN_RECONCILIATION"] = "RUN_RECONCILIATION";
    Permission["ISSUE_REFUNDS"] = "ISSUE_REFUNDS";
    Permission["SYNC_ORDERS"] = "SYNC_ORDERS";
    /** POST_FINANCE_EVIDENCE and HOLD_AND_ESCALATE decisions. */
    Permission["DECIDE_FINANCE"] = "DECIDE_FINANCE";
    /** Every decision. */
    Permission["DECIDE_ALL"] = "DECIDE_ALL";
    Permission["READ_AUDIT"] = "READ_AUDIT";
    Permission["READ_WEBHOOKS"] = "READ_WEBHOOKS";
})(Permission || (exports.Permission = Permission = {}));
const ALL = Object.values(Permission);
exports.ROLE_PERMISSIONS = {
    [actor_1.Role.SUPPORT]: [Permission.READ_ORDERS],
    [actor_1.Role.ANALYST]: [Permission.READ_ORDERS, Permission.READ_CUSTOMER_PII, Permission.READ_REPORTS, Permission.READ_WEBHOOKS],
    [actor_1.Role.FINANCE]: [
        Permission.READ_ORDERS,
        Permission.READ_CUSTOMER_PII,
        Permission.READ_REPORTS,
        Permission.RUN_RECONCILIATION,
        Permission.DECIDE_FINANCE,
        Permission.READ_WEBHOOKS,
    ],
    [actor_1.Role.ADMIN]: ALL,
    [actor_1.Role.SYSTEM]: ALL,
};
function hasPermission(role, permission) {
    return exports.ROLE_PERMISSIONS[role].includes(permission);
}
//# sourceMappingURL=permissions.js.map