import type { GraphQLResolveInfo } from 'graphql';
import { Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Info, InputType, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ConnectionType, pageSize, toConnection } from '../graphql/connection';
import { GqlContext } from '../graphql/context';
import { allNow } from '../graphql/loader-utils';
import { rethrowAsGraphQL } from '../graphql/errors';
import { Money, toMoney } from '../graphql/money.type';
import { CurrencyCode } from '../graphql/scalars';
import { Permission } from '../shared/permissions';
import { Order, OrderStatus, toOrder } from '../systems/oms';
import { pendingRefundCalculation } from '../refunds';
import { computeMoneyState } from './money-state';
import { listOrders } from './orders.service';
import { readListsAhead } from './read-ahead';

const OrderConnection = ConnectionType('Order', Order);

@InputType()
class OrdersFilterInput {
  @Field(() => [OrderStatus], { nullable: true }) status?: OrderStatus[];
  @Field(() => Date, { nullable: true }) createdFrom?: Date;
  @Field(() => Date, { nullable: true, description: 'Exclusive.' }) createdTo?: Date;
  @Field(() => CurrencyCode, { nullable: true }) currencyCode?: string;
  @Field(() => Boolean, { nullable: true, description: 'Orders with (true) or without (false) an INPUT invoice still to refund.' })
  hasPendingRefund?: boolean;
}

@ArgsType()
class OrdersArgs {
  @Field(() => OrdersFilterInput, { nullable: true }) filter?: OrdersFilterInput;
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@ObjectType({ description: "An order's money across OMS, PSP and ERP, in the order's currency." })
class MoneyState {
  @Field(() => Money, { description: 'Authorized on payments that are not canceled or failed.' }) authorized: Money;
  @Field(() => Money) captured: Money;
  @Field(() => Money, { description: 'Refunds that SUCCEEDED.' }) refunded: Money;
  @Field(() => Money, { description: 'Refunds REQUESTED or SUBMITTED: outcome not yet known.' }) refundInFlight: Money;
  @Field(() => Money, { description: 'What captured, undisputed payments can still refund.' }) refundable: Money;
  @Field(() => Money, { description: 'What INPUT invoices still demand.' }) pendingRefund: Money;
  @Field(() => Money, { description: 'Net of the settlement lines of the order (refund lines are negative).' }) settled: Money;
  @Field(() => Money, { description: 'Captures minus refunds as POSTED in the ERP.' }) postedToErp: Money;
  @Field(() => Money, { description: 'Order total not yet captured.' }) outstanding: Money;
}

@Resolver(() => Order)
export class OrdersResolver {
  @Authorized(Permission.READ_ORDERS)
  @Query(() => OrderConnection, { description: 'Orders, newest first.' })
  async orders(@Args() { filter, first, after }: OrdersArgs, @Ctx() gql: GqlContext, @Info() info: GraphQLResolveInfo) {
    const { ctx } = gql;
    const size = pageSize(first, ctx.app.config.maxPageSize);
    const rows = await listOrders(ctx, filter ?? {}, size, after).catch(rethrowAsGraphQL);
    const connection = toConnection(rows, size, (r) => [r.createdAt.toISOString(), r.id], toOrder, Boolean(after));
    await readListsAhead(gql, connection.nodes, info);
    return connection;
  }

  @FieldResolver(() => MoneyState)
  moneyState(@Root() order: Order, @Ctx() gql: GqlContext): MoneyState | Promise<MoneyState> {
    const { loaders } = gql;
    const id = order.id;
    return allNow(
      [
        pendingRefundCalculation(gql, id),
        loaders.refundsByOrderId.now(id),
        loaders.paymentsByOrderId.now(id),
        loaders.capturesByOrderId.now(id),
        loaders.settlementLinesByOrderId.now(id),
        loaders.erpPostingsByOrderId.now(id),
      ] as const,
      ([pending, refunds, payments, captures, settlementLines, erpPostings]) => {
        const s = computeMoneyState({
          totalMinor: order.totalMinor,
          payments,
          captures,
          refunds,
          settlementLines,
          erpPostings,
          pending,
        });
        const m = (v: bigint) => toMoney(v, order.currencyCode);
        return Object.assign(new MoneyState(), {
          authorized: m(s.authorizedMinor),
          captured: m(s.capturedMinor),
          refunded: m(s.refundedMinor),
          refundInFlight: m(s.refundInFlightMinor),
          refundable: m(s.refundableMinor),
          pendingRefund: m(s.pendingRefundMinor),
          settled: m(s.settledMinor),
          postedToErp: m(s.postedToErpMinor),
          outstanding: m(s.outstandingMinor),
        });
      },
    );
  }
}
