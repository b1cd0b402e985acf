import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pageSize, toConnection } from '../../graphql/connection';
import { GqlContext } from '../../graphql/context';
import { rethrowAsGraphQL } from '../../graphql/errors';
import { toMoney } from '../../graphql/money.type';
import { toUserError } from '../../graphql/user-error.type';
import { Permission } from '../../shared/permissions';
import { Order, toOrder } from '../../systems/oms';
import { MoneyExceptionKind } from '../exception-kinds';
import { decideException, listExceptions, moneySummary } from '../exceptions.service';
import { checkPeriodForQuery, PeriodArgs } from './reconciliation.types';
import {
  AutomatedRetries,
  AutomatedRetriesState,
  DecideExceptionInput,
  DecideExceptionPayload,
  ExceptionDecisionEntry,
  MoneyException,
  MoneyExceptionConnection,
  MoneyExceptionFilter,
  MoneySummary,
  OldestUnresolvedCapture,
  toDecisionEntry,
  toMoneyException,
} from './exception.types';

@ArgsType()
class MoneyExceptionsArgs {
  @Field(() => MoneyExceptionFilter, { nullable: true }) filter?: MoneyExceptionFilter;
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

/**
 * Exceptions are readable with READ_ORDERS: support asks "which orders have money in a bad state,
 * and since when?" for one order or across all. The summary and every reconciliation report need
 * READ_REPORTS; decisions need DECIDE_FINANCE, and the decisions outside finance's paths DECIDE_ALL.
 */
@Resolver(() => MoneyException)
export class MoneyExceptionResolver {
  @Authorized(Permission.READ_ORDERS)
  @Query(() => MoneyExceptionConnection, { description: 'Money exceptions, oldest first; by default the unresolved ones.' })
  async moneyExceptions(@Args() { filter, first, after }: MoneyExceptionsArgs, @Ctx() { ctx }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    const rows = await listExceptions(ctx, filter ?? {}, size, after).catch(rethrowAsGraphQL);
    const now = ctx.now;
    return toConnection(
      rows,
      size,
      (r) => [r.firstDetectedAt.toISOString(), r.id],
      (r) => toMoneyException(r, now),
      Boolean(after),
    );
  }

  @Authorized(Permission.READ_REPORTS)
  @Query(() => MoneySummary, { description: 'The stakeholder summary of seed 003 for money that moved in [from, to).' })
  async moneySummary(@Args() { from, to }: PeriodArgs, @Ctx() { ctx }: GqlContext): Promise<MoneySummary> {
    const period = checkPeriodForQuery(ctx.app.config, from, to);
    const s = await moneySummary(ctx, period.from, period.to);
    const o = s.oldestUnresolvedCapture;
    return Object.assign(new MoneySummary(), {
      from: s.from,
      to: s.to,
      customersCharged: s.customersCharged,
      paymentsCharged: s.paymentsCharged,
      ordersComplete: s.ordersComplete,
      awaitingRepair: s.awaitingRepair,
      paymentsRefunded: s.paymentsRefunded,
      chargedAmount: s.charged.map((m) => toMoney(m.minor, m.currency)),
      refundedAmount: s.refundedAmount.map((m) => toMoney(m.minor, m.currency)),
      amountHeldForFinanceReview: s.heldForFinanceReview.map((m) => toMoney(m.minor, m.currency)),
      unresolvedExceptions: s.openExceptions,
      undecidedExceptions: s.undecidedExceptions,
      overdueDecisions: s.overdueDecisions,
      oldestUnresolvedCapture:
        o && o.capturedAt
          ? Object.assign(new OldestUnresolvedCapture(), {
              exceptionId: o.id,
              kind: o.kind as MoneyExceptionKind,
              captureId: o.captureId,
              pspReference: o.pspReference,
              orderId: o.orderId,
              capturedAt: o.capturedAt,
              amount: o.amountMinor !== null && o.currency ? toMoney(o.amountMinor, o.currency) : null,
            })
          : null,
      nextDecisionDeadline: s.nextDecisionDeadline,
      automatedRetries: Object.assign(new AutomatedRetries(), {
        state: s.heldOrders > 0 ? AutomatedRetriesState.PAUSED_ON_HELD_ORDERS : AutomatedRetriesState.RUNNING,
        heldOrders: s.heldOrders,
        duplicateRiskExceptions: s.duplicateRiskExceptions,
      }),
    });
  }

  @Authorized(Permission.DECIDE_FINANCE)
  @Mutation(() => DecideExceptionPayload, {
    description:
      'Records an owner decision (who, when, why; audited). HOLD_AND_ESCALATE holds the order until RELEASE_HOLD. FINANCE may take the finance decisions; the others need ADMIN.',
  })
  async decideException(@Arg('input', () => DecideExceptionInput) input: DecideExceptionInput, @Ctx() gql: GqlContext): Promise<DecideExceptionPayload> {
    const r = await decideException(gql.ctx, input).catch(rethrowAsGraphQL);
    gql.renewLoaders();
    return Object.assign(new DecideExceptionPayload(), {
      exception: r.exception ? toMoneyException(r.exception, gql.ctx.now) : null,
      userErrors: r.userErrors.map(toUserError),
    });
  }

  @FieldResolver(() => [ExceptionDecisionEntry], { description: 'Every owner decision on this exception, oldest first.' })
  async history(@Root() e: MoneyException, @Ctx() { loaders }: GqlContext): Promise<ExceptionDecisionEntry[]> {
    return (await loaders.decisionsByExceptionId.load(e.id)).map(toDecisionEntry);
  }

  @FieldResolver(() => Order, { nullable: true, description: 'The order, when the OMS has it.' })
  async order(@Root() e: MoneyException, @Ctx() { loaders }: GqlContext): Promise<Order | null> {
    if (!e.orderId) return null;
    const o = await loaders.orderById.load(e.orderId);
    return o ? toOrder(o) : null;
  }
}

@Resolver(() => Order)
export class OrderExceptionsResolver {
  @Authorized(Permission.READ_ORDERS)
  @FieldResolver(() => [MoneyException], { description: 'Money exceptions of this order, oldest first.' })
  async exceptions(
    @Root() order: Order,
    @Arg('includeResolved', () => Boolean, { defaultValue: false }) includeResolved: boolean,
    @Ctx() { ctx, loaders }: GqlContext,
  ): Promise<MoneyException[]> {
    const rows = await loaders.exceptionsByOrderId.load(order.id);
    const now = ctx.now;
    return rows.filter((r) => includeResolved || r.status !== 'RESOLVED').map((r) => toMoneyException(r, now));
  }
}
