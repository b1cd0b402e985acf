"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
require("reflect-metadata");
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_path_1 = __importDefault(require("node:path"));
const print_schema_1 = require("../../src/graphql/print-schema");
(0, node_test_1.test)('schema/schema.graphql is the SDL printed from the code (run `npm run schema:print` after a change)', async () => {
    const file = node_path_1.default.resolve(__dirname, '..', '..', '..', 'schema', 'schema.graphql');
    const checkedIn = (0, node_fs_1.readFileSync)(file, 'utf8');
    const printed = await (0, print_schema_1.printSchemaSdl)();
    strict_1.default.equal(checkedIn, printed);
});
(0, node_test_1.test)('the printed SDL is a federation subgraph: shared entities carry @key', async () => {
    const sdl = await (0, print_schema_1.printSchemaSdl)();
    for (const type of ['Order', 'Invoice', 'Payment', 'Refund']) {
        strict_1.default.match(sdl, new RegExp(`type ${type}\\s+@key\\(fields: "id"\\)`), `${type} has @key`);
    }
    strict_1.default.match(sdl, /scalar Decimal/);
    strict_1.default.match(sdl, /type Money \{[^}]*amount: Decimal![^}]*currencyCode: CurrencyCode!/s);
});
//# sourceMappingURL=schema-drift.test.js.map