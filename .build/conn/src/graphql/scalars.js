"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CurrencyCode = exports.DecimalScalar = void 0;
const graphql_1 = require("graphql");
const type_graphql_1 = require("type-graphql");
const money_1 = require("../shared/money");
/**
 * A decimal amount as a string ("50.00", "1000" for JPY). Only the shape is checked here; the
 * precision is checked against the currency where both are known.
 */
exports.DecimalScalar = new graphql_1.GraphQLScalarType({
    name: 'Decimal',
    description: 'A decimal number as a string, e.g. "50.00". Never a float.',
    serialize(value) {
        if (typeof value !== 'string')
            throw new graphql_1.GraphQLError('Decimal values are serialized from strings only');
        return value;
    },
    parseValue(value) {
        return checkDecimal(value);
    },
    parseLiteral(ast) {
        if (ast.kind !== graphql_1.Kind.STRING) {
            throw new graphql_1.GraphQLError('Decimal must be given as a string, e.g. "10.50"', { extensions: { code: 'BAD_USER_INPUT' } });
        }
        return checkDecimal(ast.value);
    },
});
function checkDecimal(value) {
    if (typeof value !== 'string' || !/^-?\d{1,20}(\.\d{1,20})?$/.test(value.trim())) {
        throw new graphql_1.GraphQLError('Decimal must be a string of digits with an optional fraction, e.g. "10.50"', {
            extensions: { code: 'BAD_USER_INPUT' },
        });
    }
    return value.trim();
}
/** ISO-4217 codes the service knows the minor-unit exponent of. */
exports.CurrencyCode = Object.fromEntries(money_1.CURRENCY_CODES.map((c) => [c, c]));
(0, type_graphql_1.registerEnumType)(exports.CurrencyCode, { name: 'CurrencyCode', description: 'ISO-4217 currency code' });
//# sourceMappingURL=scalars.js.map