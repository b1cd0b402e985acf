"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const test_app_1 = require("../support/test-app");
const drive_1 = require("../support/drive");
let t;
(0, node_test_1.before)(async () => { t = await (0, test_app_1.createTestApp)(); });
(0, node_test_1.after)(async () => { await t?.close(); await (0, test_app_1.stopTestServer)(); });
(0, node_test_1.test)('an order created through the simulators is visible by GraphQL', async () => {
    const o = await (0, drive_1.paidOrder)(t.sims);
    const r = await t.gql('SUPPORT', `query($id: ID!) { order(id: $id) { id status total { amount currencyCode } invoices { id kind amount { amount } }
    payments { id status } captures { id amount { amount } } moneyState { captured { amount } outstanding { amount } } } }`, { id: o.orderId });
    console.log(JSON.stringify(r, null, 1));
    strict_1.default.equal(r.data.order.id, o.orderId);
});
//# sourceMappingURL=smoke.test.js.map