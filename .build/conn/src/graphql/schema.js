"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESOLVERS = void 0;
exports.buildAppSchema = buildAppSchema;
/**
 * Schema assembly: every module contributes its resolvers; the result is also a valid Apollo
 * Federation 2 subgraph (`@key` on the shared entities) so a supergraph can compose it.
 */
const subgraph_1 = require("@apollo/subgraph");
const utils_1 = require("@graphql-tools/utils");
const graphql_tag_1 = __importDefault(require("graphql-tag"));
const graphql_scalars_1 = require("graphql-scalars");
const type_graphql_1 = require("type-graphql");
const auth_checker_1 = require("./auth-checker");
const oms_1 = require("../systems/oms");
const psp_1 = require("../systems/psp");
const erp_1 = require("../systems/erp");
const refunds_1 = require("../refunds");
const orders_1 = require("../orders");
const schema_extensions_1 = require("./schema-extensions");
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
exports.RESOLVERS = [
    oms_1.OrderResolver,
    oms_1.InvoiceResolver,
    orders_1.OrdersResolver,
    psp_1.OrderPaymentsResolver,
    psp_1.PaymentResolver,
    psp_1.CaptureResolver,
    psp_1.SettlementResolver,
    erp_1.OrderErpResolver,
    refunds_1.OrderRefundsResolver,
    refunds_1.RefundResolver,
    ...schema_extensions_1.SCHEMA_EXTENSIONS.resolvers,
];
const REFERENCE_RESOLVERS = [oms_1.omsReferenceResolvers, psp_1.pspReferenceResolvers, ...schema_extensions_1.SCHEMA_EXTENSIONS.referenceResolvers];
let cached;
async function buildAppSchema() {
    if (cached)
        return cached;
    const schema = await (0, type_graphql_1.buildSchema)({
        resolvers: exports.RESOLVERS,
        authChecker: auth_checker_1.authChecker,
        authMode: 'error',
        scalarsMap: [{ type: Date, scalar: graphql_scalars_1.DateTimeISOResolver }],
        validate: false,
        skipCheck: true,
    });
    const resolvers = (0, type_graphql_1.createResolversMap)(schema);
    for (const refs of REFERENCE_RESOLVERS) {
        for (const [type, fields] of Object.entries(refs))
            resolvers[type] = { ...(resolvers[type] ?? {}), ...fields };
    }
    cached = (0, subgraph_1.buildSubgraphSchema)({
        typeDefs: (0, graphql_tag_1.default) `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
      ${(0, utils_1.printSchemaWithDirectives)(schema)}
    `,
        resolvers: resolvers,
    });
    return cached;
}
//# sourceMappingURL=schema.js.map