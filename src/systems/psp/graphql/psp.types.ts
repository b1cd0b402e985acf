import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Money, toMoney } from '../../../graphql/money.type';
import { CaptureEntity, PaymentEntity, PaymentMethodKind, PaymentMethodStatus, PaymentStatus, SettlementEntity, SettlementLineEntity, SettlementLineKind } from '../entities';

registerEnumType(PaymentStatus, { name: 'PaymentStatus', description: 'COMPLETED means captured.' });
registerEnumType(PaymentMethodKind, { name: 'PaymentMethodKind' });
registerEnumType(PaymentMethodStatus, { name: 'PaymentMethodStatus' });
registerEnumType(SettlementLineKind, { name: 'SettlementLineKind' });

@ObjectType()
@Directive('@key(fields: "id")')
export class Payment {
  @Field(() => ID, { description: 'The PSP payment reference.' }) id: string;
  @Field(() => ID, { nullable: true, description: 'The order the PSP says this payment is for.' }) orderId: string | null;
  @Field(() => PaymentMethodKind) method: PaymentMethodKind;
  @Field(() => ID, { nullable: true }) paymentMethodId: string | null;
  @Field(() => PaymentMethodStatus) paymentMethodStatus: PaymentMethodStatus;
  @Field(() => PaymentStatus) status: PaymentStatus;
  @Field() disputed: boolean;
  @Field(() => Money) authorized: Money;
  @Field() createdAt: Date;
  customerIdRaw: string | null;
  currency: string;
}

export function toPayment(e: PaymentEntity): Payment {
  return Object.assign(new Payment(), {
    id: e.id,
    orderId: e.orderId,
    method: e.method,
    paymentMethodId: e.paymentMethodId,
    paymentMethodStatus: e.paymentMethodStatus,
    status: e.status,
    disputed: e.disputed,
    authorized: toMoney(e.authorizedMinor, e.currency),
    createdAt: e.createdAt,
    customerIdRaw: e.customerId,
    currency: e.currency,
  });
}

@ObjectType()
@Directive('@key(fields: "id")')
export class Capture {
  @Field(() => ID) id: string;
  @Field(() => ID) paymentId: string;
  @Field(() => ID, { nullable: true }) orderId: string | null;
  @Field(() => Money) amount: Money;
  @Field() capturedAt: Date;
}

export function toCapture(e: CaptureEntity): Capture {
  return Object.assign(new Capture(), {
    id: e.id,
    paymentId: e.paymentId,
    orderId: e.orderId,
    amount: toMoney(e.amountMinor, e.currency),
    capturedAt: e.capturedAt,
  });
}

@ObjectType()
@Directive('@key(fields: "id")')
export class Settlement {
  @Field(() => ID, { description: "The PSP's batch id." }) id: string;
  @Field() settledAt: Date;
  @Field() currencyCode: string;
}

export function toSettlement(e: SettlementEntity): Settlement {
  return Object.assign(new Settlement(), { id: e.id, settledAt: e.settledAt, currencyCode: e.currency });
}

@ObjectType()
export class SettlementLine {
  @Field(() => ID) id: string;
  @Field(() => ID) settlementId: string;
  @Field(() => SettlementLineKind) kind: SettlementLineKind;
  @Field({ description: 'The capture, refund or dispute this line settles.' }) pspReference: string;
  @Field(() => ID, { nullable: true, description: 'null: money no order claims (an exception).' }) orderId: string | null;
  @Field(() => Money) gross: Money;
  @Field(() => Money) fee: Money;
  @Field(() => Money) net: Money;
}

export function toSettlementLine(e: SettlementLineEntity): SettlementLine {
  return Object.assign(new SettlementLine(), {
    id: e.id,
    settlementId: e.settlementId,
    kind: e.kind,
    pspReference: e.pspReference,
    orderId: e.orderId,
    gross: toMoney(e.grossMinor, e.currency),
    fee: toMoney(e.feeMinor, e.currency),
    net: toMoney(e.netMinor, e.currency),
  });
}
