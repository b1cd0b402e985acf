import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { registerEnumType } from 'type-graphql';
import { CURRENCY_CODES } from '../shared/money';

/**
 * A decimal amount as a string ("50.00", "1000" for JPY). Only the shape is checked here; the
 * precision is checked against the currency where both are known.
 */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'A decimal number as a string, e.g. "50.00". Never a float.',
  serialize(value) {
    if (typeof value !== 'string') throw new GraphQLError('Decimal values are serialized from strings only');
    return value;
  },
  parseValue(value) {
    return checkDecimal(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('Decimal must be given as a string, e.g. "10.50"', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return checkDecimal(ast.value);
  },
});

function checkDecimal(value: unknown): string {
  if (typeof value !== 'string' || !/^-?\d{1,20}(\.\d{1,20})?$/.test(value.trim())) {
    throw new GraphQLError('Decimal must be a string of digits with an optional fraction, e.g. "10.50"', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value.trim();
}

/** ISO-4217 codes the service knows the minor-unit exponent of. */
export const CurrencyCode = Object.fromEntries(CURRENCY_CODES.map((c) => [c, c])) as Record<string, string>;
registerEnumType(CurrencyCode, { name: 'CurrencyCode', description: 'ISO-4217 currency code' });
