"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** `npm run schema:print`: writes the subgraph SDL (with @key directives) to schema/schema.graphql. */
require("reflect-metadata");
const node_fs_1 = require("node:fs");
const node_path_1 = __importDefault(require("node:path"));
const print_schema_1 = require("../src/graphql/print-schema");
async function main() {
    const file = node_path_1.default.resolve(__dirname, '..', '..', 'schema', 'schema.graphql');
    (0, node_fs_1.writeFileSync)(file, await (0, print_schema_1.printSchemaSdl)());
    console.log(`wrote ${node_path_1.default.relative(process.cwd(), file)}`);
}
main().catch((err) => {
    console.error(err);
    process.exit(1);
});
//# sourceMappingURL=print-schema.js.map