"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.maskCustomerId = maskCustomerId;
const permissions_1 = require("./permissions");
/** Customer identifiers are shown only to roles that may read them; others see the last four characters. */
function maskCustomerId(actor, raw) {
    if (raw === null || (0, permissions_1.hasPermission)(actor.role, permissions_1.Permission.READ_CUSTOMER_PII))
        return raw;
    return raw.length <= 4 ? '****' : `****${raw.slice(-4)}`;
}
//# sourceMappingURL=masking.js.map