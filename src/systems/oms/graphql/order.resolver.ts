import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { GqlContext } from '../../../graphql/context';
import { allNow, mapNow } from '../../../graphql/loader-utils';
import { Permission } from '../../../shared/permissions';
import { maskCustomerId } from '../../../shared/masking';
import { buildInvoiceData } from '../oms.service';
import { Invoice, InvoiceData, Order, OrderInteraction, toInteraction, toInvoice, toInvoiceData, toOrder } from './oms.types';

@Resolver(() => Order)
export class OrderResolver {
  @Authorized(Permission.READ_ORDERS)
  @Query(() => Order, { nullable: true, description: 'An order by its OMS id; null when unknown.' })
  async order(@Arg('id', () => ID) id: string, @Ctx() { loaders }: GqlContext): Promise<Order | null> {
    const e = await loaders.orderById.load(id);
    return e ? toOrder(e) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The customer id; masked unless the caller may read customer identifiers.' })
  customerId(@Root() order: Order, @Ctx() { ctx }: GqlContext): string | null {
    return maskCustomerId(ctx.actor, order.customerIdRaw);
  }

  @FieldResolver(() => [Invoice])
  invoices(@Root() order: Order, @Ctx() { loaders }: GqlContext): Invoice[] | Promise<Invoice[]> {
    return mapNow(loaders.invoicesByOrderId.now(order.id), (rows) => rows.map(toInvoice));
  }

  @FieldResolver(() => [OrderInteraction])
  interactions(@Root() order: Order, @Ctx() { loaders }: GqlContext): OrderInteraction[] | Promise<OrderInteraction[]> {
    return mapNow(loaders.interactionsByOrderId.now(order.id), (rows) => rows.map(toInteraction));
  }

  @FieldResolver(() => InvoiceData)
  invoiceData(@Root() order: Order, @Ctx() { loaders, ctx }: GqlContext): InvoiceData | Promise<InvoiceData> {
    return allNow([loaders.invoicesByOrderId.now(order.id), loaders.invoiceDataByOrderId.now(order.id)] as const, ([invoices, rows]) =>
      toInvoiceData(buildInvoiceData(invoices, rows, ctx.app.connectors.oms.capabilities.keepsInvoiceData)),
    );
  }
}

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Authorized(Permission.READ_ORDERS)
  @Query(() => Invoice, { nullable: true, description: 'An invoice by its number; null when unknown.' })
  async invoice(@Arg('id', () => ID) id: string, @Ctx() { loaders }: GqlContext): Promise<Invoice | null> {
    const e = await loaders.invoiceById.load(id);
    return e ? toInvoice(e) : null;
  }

  @FieldResolver(() => Order, { nullable: true })
  async order(@Root() invoice: Invoice, @Ctx() { loaders }: GqlContext): Promise<Order | null> {
    const e = await loaders.orderById.load(invoice.orderId);
    return e ? toOrder(e) : null;
  }
}

export const omsReferenceResolvers = {
  Order: {
    __resolveReference: async (ref: { id: string }, { loaders }: GqlContext) => {
      const e = await loaders.orderById.load(ref.id);
      return e ? toOrder(e) : null;
    },
  },
  Invoice: {
    __resolveReference: async (ref: { id: string }, { loaders }: GqlContext) => {
      const e = await loaders.invoiceById.load(ref.id);
      return e ? toInvoice(e) : null;
    },
  },
};
