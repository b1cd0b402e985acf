import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { GqlContext } from '../../graphql/context';
import { allNow, mapNow } from '../../graphql/loader-utils';
import { Permission } from '../../shared/permissions';
import { Invoice, Order, toInvoice, toOrder } from '../../systems/oms';
import { Payment, toPayment } from '../../systems/psp';
import { computePendingRefunds, PendingRefunds as PendingRefundsCalculation } from '../pending-refunds';
import { PendingRefunds, Refund, toPendingRefunds, toRefund } from './refund.types';

interface Calculated {
  lists: readonly unknown[];
  calc: PendingRefundsCalculation;
}

/** The calculations a request has made, by order id, with the lists they were made from. */
const calculated = new WeakMap<GqlContext, Map<string, Calculated>>();

/**
 * The pending-refund calculation of one order, fed entirely by loaders (batched across orders):
 * at once when its lists are loaded (a page read them ahead), else after them. Made once per
 * request and order while its lists stay the same objects: `moneyState` and `pendingRefunds` both
 * ask for it.
 */
export function pendingRefundCalculation(gql: GqlContext, orderId: string): PendingRefundsCalculation | Promise<PendingRefundsCalculation> {
  const { loaders, ctx } = gql;
  return allNow(
    [
      loaders.invoicesByOrderId.now(orderId),
      loaders.refundsByOrderId.now(orderId),
      loaders.invoiceDataByOrderId.now(orderId),
      loaders.paymentsByOrderId.now(orderId),
      loaders.capturesByOrderId.now(orderId),
    ] as const,
    (lists) => {
      let byOrder = calculated.get(gql);
      if (!byOrder) calculated.set(gql, (byOrder = new Map()));
      const known = byOrder.get(orderId);
      if (known && known.lists.every((l, i) => l === lists[i])) return known.calc;
      const [invoices, refunds, invoiceData, payments, captures] = lists;
      const calc = computePendingRefunds({ invoices, refunds, invoiceData, payments, captures, omsRefundsItself: ctx.app.connectors.oms.capabilities.refundsReturnInvoicesItself });
      byOrder.set(orderId, { lists, calc });
      return calc;
    },
  );
}

function pendingRefundsOf(orderId: string, currency: string, gql: GqlContext): PendingRefunds | Promise<PendingRefunds> {
  return mapNow(pendingRefundCalculation(gql, orderId), (calc) => toPendingRefunds(orderId, currency, calc));
}

@Resolver(() => Order)
export class OrderRefundsResolver {
  @FieldResolver(() => [Refund])
  refunds(@Root() order: Order, @Ctx() { loaders }: GqlContext): Refund[] | Promise<Refund[]> {
    return mapNow(loaders.refundsByOrderId.now(order.id), (rows) => rows.map(toRefund));
  }

  @FieldResolver(() => PendingRefunds)
  pendingRefunds(@Root() order: Order, @Ctx() gql: GqlContext): PendingRefunds | Promise<PendingRefunds> {
    return pendingRefundsOf(order.id, order.currencyCode, gql);
  }
}

@Resolver(() => Refund)
export class RefundResolver {
  @Authorized(Permission.READ_ORDERS)
  @Query(() => Refund, { nullable: true })
  async refund(@Arg('id', () => ID) id: string, @Ctx() { loaders }: GqlContext): Promise<Refund | null> {
    const e = await loaders.refundById.load(id);
    return e ? toRefund(e) : null;
  }

  @Authorized(Permission.READ_ORDERS)
  @Query(() => PendingRefunds, { nullable: true, description: 'The pending-refund calculation of an order; null when the order is unknown.' })
  async pendingRefunds(@Arg('orderId', () => ID) orderId: string, @Ctx() gql: GqlContext): Promise<PendingRefunds | null> {
    const order = await gql.loaders.orderById.load(orderId);
    return order ? pendingRefundsOf(order.id, order.currency, gql) : null;
  }

  @FieldResolver(() => Order, { nullable: true })
  async order(@Root() r: Refund, @Ctx() { loaders }: GqlContext): Promise<Order | null> {
    const e = await loaders.orderById.load(r.orderId);
    return e ? toOrder(e) : null;
  }

  @FieldResolver(() => Invoice, { nullable: true })
  async invoice(@Root() r: Refund, @Ctx() { loaders }: GqlContext): Promise<Invoice | null> {
    if (!r.invoiceId) return null;
    const e = await loaders.invoiceById.load(r.invoiceId);
    return e ? toInvoice(e) : null;
  }

  @FieldResolver(() => Payment, { nullable: true })
  async payment(@Root() r: Refund, @Ctx() { loaders }: GqlContext): Promise<Payment | null> {
    if (!r.paymentId) return null;
    const e = await loaders.paymentById.load(r.paymentId);
    return e ? toPayment(e) : null;
  }
}

export const refundReferenceResolvers = {
  Refund: {
    __resolveReference: async (ref: { id: string }, { loaders }: GqlContext) => {
      const e = await loaders.refundById.load(ref.id);
      return e ? toRefund(e) : null;
    },
  },
};
