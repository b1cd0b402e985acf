import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageSize, toConnection } from '../../../graphql/connection';
import { GqlContext } from '../../../graphql/context';
import { mapNow } from '../../../graphql/loader-utils';
import { rethrowAsGraphQL } from '../../../graphql/errors';
import { CurrencyCode } from '../../../graphql/scalars';
import { maskCustomerId } from '../../../shared/masking';
import { Permission } from '../../../shared/permissions';
import { Order, toOrder } from '../../oms';
import { listSettlements } from '../psp.service';
import { Capture, Payment, Settlement, SettlementLine, toCapture, toPayment, toSettlement, toSettlementLine } from './psp.types';

const SettlementConnection = ConnectionType('Settlement', Settlement);

@InputType()
class SettlementFilterInput {
  @Field(() => Date, { nullable: true }) settledFrom?: Date;
  @Field(() => Date, { nullable: true, description: 'Exclusive.' }) settledTo?: Date;
  @Field(() => CurrencyCode, { nullable: true }) currencyCode?: string;
}

@ArgsType()
class SettlementsArgs {
  @Field(() => SettlementFilterInput, { nullable: true }) filter?: SettlementFilterInput;
  @Field(() => Int, { nullable: true, description: 'At most 100.' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@Resolver(() => Order)
export class OrderPaymentsResolver {
  @FieldResolver(() => [Payment])
  payments(@Root() order: Order, @Ctx() { loaders }: GqlContext): Payment[] | Promise<Payment[]> {
    return mapNow(loaders.paymentsByOrderId.now(order.id), (rows) => rows.map(toPayment));
  }

  @FieldResolver(() => [Capture])
  captures(@Root() order: Order, @Ctx() { loaders }: GqlContext): Capture[] | Promise<Capture[]> {
    return mapNow(loaders.capturesByOrderId.now(order.id), (rows) => rows.map(toCapture));
  }

  @FieldResolver(() => [SettlementLine])
  settlementLines(@Root() order: Order, @Ctx() { loaders }: GqlContext): SettlementLine[] | Promise<SettlementLine[]> {
    return mapNow(loaders.settlementLinesByOrderId.now(order.id), (rows) => rows.map(toSettlementLine));
  }
}

@Resolver(() => Payment)
export class PaymentResolver {
  @Authorized(Permission.READ_ORDERS)
  @Query(() => Payment, { nullable: true })
  async payment(@Arg('id', () => ID) id: string, @Ctx() { loaders }: GqlContext): Promise<Payment | null> {
    const e = await loaders.paymentById.load(id);
    return e ? toPayment(e) : null;
  }

  @FieldResolver(() => String, { nullable: true })
  customerId(@Root() p: Payment, @Ctx() { ctx }: GqlContext): string | null {
    return maskCustomerId(ctx.actor, p.customerIdRaw);
  }

  @FieldResolver(() => [Capture])
  captures(@Root() p: Payment, @Ctx() { loaders }: GqlContext): Capture[] | Promise<Capture[]> {
    return mapNow(loaders.capturesByPaymentId.now(p.id), (rows) => rows.map(toCapture));
  }

  @FieldResolver(() => Order, { nullable: true })
  async order(@Root() p: Payment, @Ctx() { loaders }: GqlContext): Promise<Order | null> {
    if (!p.orderId) return null;
    const e = await loaders.orderById.load(p.orderId);
    return e ? toOrder(e) : null;
  }
}

@Resolver(() => Capture)
export class CaptureResolver {
  @Authorized(Permission.READ_ORDERS)
  @Query(() => Capture, { nullable: true })
  async capture(@Arg('id', () => ID) id: string, @Ctx() { loaders }: GqlContext): Promise<Capture | null> {
    const e = await loaders.captureById.load(id);
    return e ? toCapture(e) : null;
  }

  @FieldResolver(() => Payment, { nullable: true })
  async payment(@Root() c: Capture, @Ctx() { loaders }: GqlContext): Promise<Payment | null> {
    const e = await loaders.paymentById.load(c.paymentId);
    return e ? toPayment(e) : null;
  }
}

@Resolver(() => Settlement)
export class SettlementResolver {
  @Authorized(Permission.READ_ORDERS)
  @Query(() => Settlement, { nullable: true })
  async settlement(@Arg('id', () => ID) id: string, @Ctx() { loaders }: GqlContext): Promise<Settlement | null> {
    const e = await loaders.settlementById.load(id);
    return e ? toSettlement(e) : null;
  }

  @Authorized(Permission.READ_ORDERS)
  @Query(() => SettlementConnection, { description: 'Settlement batches, newest first.' })
  async settlements(@Args() { filter, first, after }: SettlementsArgs, @Ctx() { ctx }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    const rows = await listSettlements(ctx, filter ?? {}, size, after).catch(rethrowAsGraphQL);
    return toConnection(rows, size, (r) => [r.settledAt.toISOString(), r.id], toSettlement, Boolean(after));
  }

  @FieldResolver(() => [SettlementLine])
  async lines(@Root() s: Settlement, @Ctx() { loaders }: GqlContext): Promise<SettlementLine[]> {
    return (await loaders.settlementLinesBySettlementId.load(s.id)).map(toSettlementLine);
  }
}

export const pspReferenceResolvers = {
  Payment: {
    __resolveReference: async (ref: { id: string }, { loaders }: GqlContext) => {
      const e = await loaders.paymentById.load(ref.id);
      return e ? toPayment(e) : null;
    },
  },
  Capture: {
    __resolveReference: async (ref: { id: string }, { loaders }: GqlContext) => {
      const e = await loaders.captureById.load(ref.id);
      return e ? toCapture(e) : null;
    },
  },
  Settlement: {
    __resolveReference: async (ref: { id: string }, { loaders }: GqlContext) => {
      const e = await loaders.settlementById.load(ref.id);
      return e ? toSettlement(e) : null;
    },
  },
};
