import { Directive, Field, ObjectType } from 'type-graphql';
import { formatMinor } from '../shared/money';
import { CurrencyCode, DecimalScalar } from './scalars';

// A value type: other subgraphs may define it too (federation @shareable).
@Directive('@shareable')
@ObjectType({ description: "An amount of money: a decimal string in the currency's minor-unit precision, and the currency." })
export class Money {
  @Field(() => DecimalScalar) amount: string;
  @Field(() => CurrencyCode) currencyCode: string;
}

export function toMoney(minor: bigint, currency: string): Money {
  const m = new Money();
  m.amount = formatMinor(minor, currency);
  m.currencyCode = currency;
  return m;
}
