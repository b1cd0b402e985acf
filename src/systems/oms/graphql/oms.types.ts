import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Money, toMoney } from '../../../graphql/money.type';
import { CurrencyCode } from '../../../graphql/scalars';
import { InteractionEntity, InteractionSource, InvoiceEntity, InvoiceKind, OrderEntity, OrderStatus } from '../entities';
import type { InvoiceDataView } from '../oms.service';

registerEnumType(OrderStatus, { name: 'OrderStatus' });
registerEnumType(InvoiceKind, { name: 'InvoiceKind', description: 'OUTPUT is a sale; INPUT is a return, a demand for a refund.' });
registerEnumType(InteractionSource, { name: 'InteractionSource' });

@ObjectType({ description: 'An order, as the OMS holds it. Other modules add its payments, refunds and postings.' })
@Directive('@key(fields: "id")')
export class Order {
  @Field(() => ID, { description: 'The OMS order id.' }) id: string;
  @Field(() => OrderStatus) status: OrderStatus;
  @Field(() => CurrencyCode) currencyCode: string;
  @Field(() => Money) total: Money;
  /** Masked for roles without READ_CUSTOMER_PII; resolved in the order resolver. */
  customerIdRaw: string | null;
  totalMinor: bigint;
  @Field() createdAt: Date;
}

export function toOrder(e: OrderEntity): Order {
  return Object.assign(new Order(), {
    id: e.id,
    status: e.status,
    currencyCode: e.currency,
    total: toMoney(e.totalMinor, e.currency),
    totalMinor: e.totalMinor,
    customerIdRaw: e.customerId,
    createdAt: e.createdAt,
  });
}

@ObjectType()
@Directive('@key(fields: "id")')
export class Invoice {
  @Field(() => ID, { description: 'The invoice number.' }) id: string;
  @Field() number: string;
  @Field(() => InvoiceKind) kind: InvoiceKind;
  @Field(() => Money) amount: Money;
  @Field() issuedAt: Date;
  @Field(() => ID) orderId: string;
}

export function toInvoice(e: InvoiceEntity): Invoice {
  return Object.assign(new Invoice(), {
    id: e.id,
    number: e.id,
    kind: e.kind,
    amount: toMoney(e.amountMinor, e.currency),
    issuedAt: e.issuedAt,
    orderId: e.orderId,
  });
}

@ObjectType({ description: "One entry of the order's timeline." })
export class OrderInteraction {
  @Field(() => ID) id: string;
  @Field({ description: 'e.g. "Invoice Notification", "Refund Payment".' }) kind: string;
  @Field() message: string;
  @Field(() => InteractionSource) source: InteractionSource;
  @Field(() => ID, { nullable: true }) refundId: string | null;
  @Field() occurredAt: Date;
}

export function toInteraction(e: InteractionEntity): OrderInteraction {
  return Object.assign(new OrderInteraction(), {
    id: e.id,
    kind: e.kind,
    message: e.message,
    source: e.source,
    refundId: e.refundId,
    occurredAt: e.occurredAt,
  });
}

@ObjectType({ description: 'invoiceData for one invoice: what each copy says has been refunded.' })
class InvoiceDataEntry {
  @Field(() => ID) invoiceId: string;
  @Field(() => InvoiceKind) kind: InvoiceKind;
  @Field(() => Money) amount: Money;
  @Field(() => Money, { description: "moneygraph's copy: changed only with a refund's recorded outcome." }) refunded: Money;
  @Field(() => [ID]) refundIds: string[];
  @Field(() => Money, { nullable: true, description: "What the OMS's copy says (null: the OMS has not reported one, or keeps no copy — see InvoiceData.omsKeepsCopy)." })
  omsRefunded: Money | null;
  @Field(() => [ID], { nullable: true }) omsRefundIds: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Both copies agree. Null when the OMS keeps no copy (VTEX): nothing is claimed in sync.' }) inSync: boolean | null;
  @Field(() => Date, { nullable: true }) omsUpdatedAt: Date | null;
}

@ObjectType({ description: "The order's invoice bookkeeping." })
export class InvoiceData {
  @Field(() => [InvoiceDataEntry]) entries: InvoiceDataEntry[];
  @Field(() => Boolean, { nullable: true, description: "The OMS's copy agrees with moneygraph's for every invoice. Null when the OMS keeps no copy (VTEX)." })
  inSync: boolean | null;
  @Field({
    description:
      'Whether the OMS keeps its own invoiceData copy. False for VTEX, which exposes none: the OMS copy is absent (omsRefunded null), not in sync; what VTEX refunded is read from VTEX Payments and reconciled against the return invoices.',
  })
  omsKeepsCopy: boolean;
}

export function toInvoiceData(v: InvoiceDataView): InvoiceData {
  const entries = v.entries.map((l) => {
    const e = new InvoiceDataEntry();
    e.invoiceId = l.invoiceId;
    e.kind = l.kind;
    e.amount = toMoney(l.amountMinor, l.currency);
    e.refunded = toMoney(l.refundedMinor, l.currency);
    e.refundIds = l.refundIds;
    e.omsRefunded = l.omsRefundedMinor === null ? null : toMoney(l.omsRefundedMinor, l.currency);
    e.omsRefundIds = l.omsRefundIds;
    e.inSync = l.inSync;
    e.omsUpdatedAt = l.omsUpdatedAt;
    return e;
  });
  return Object.assign(new InvoiceData(), { entries, inSync: v.inSync, omsKeepsCopy: v.omsKeepsCopy });
}
