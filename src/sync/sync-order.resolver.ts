import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { GqlContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { toUserError, UserError } from '../graphql/user-error.type';
import { Permission } from '../shared/permissions';
import { Order, toOrder } from '../systems/oms';
import { syncOrder } from './sync-order.service';

@InputType()
class SyncOrderInput {
  @Field(() => ID, { description: 'The OMS order id.' }) orderId: string;
}

@ObjectType({ description: 'How many upstream records syncOrder read and applied (each applied only if newer than what was stored).' })
class SyncOrderCounts {
  @Field(() => Int) invoices: number;
  @Field(() => Int) interactions: number;
  @Field(() => Int) payments: number;
  @Field(() => Int) captures: number;
  @Field(() => Int) refunds: number;
  @Field(() => Int) postings: number;
  @Field(() => Int, { description: 'Always 0: every PSP refund found is applied, as the PSP records it.', deprecationReason: 'Refunds are always applied; read `refunds`.' })
  refundsSkipped: number;
}

@ObjectType()
class SyncOrderPayload {
  @Field(() => Order, { nullable: true, description: 'The order after the sync; null when only the PSP or ERP know it.' }) order: Order | null;
  @Field(() => SyncOrderCounts, { nullable: true }) synced: SyncOrderCounts | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@Resolver()
export class SyncOrderResolver {
  @Authorized(Permission.SYNC_ORDERS)
  @Mutation(() => SyncOrderPayload, {
    description: "Pulls an order's current records from OMS, PSP and ERP and applies what is newer: the repair path for lost webhooks.",
  })
  async syncOrder(@Arg('input', () => SyncOrderInput) input: SyncOrderInput, @Ctx() { ctx, loaders }: GqlContext): Promise<SyncOrderPayload> {
    const orderId = input.orderId.trim();
    if (!orderId || orderId.length > 64) throw badInput('orderId must be 1 to 64 characters', 'orderId');
    const r = await syncOrder(ctx, { orderId });
    if ('error' in r) return Object.assign(new SyncOrderPayload(), { order: null, synced: null, userErrors: [toUserError(r.error)] });
    if (r.order) loaders.orderById.clear(orderId).prime(orderId, r.order);
    return Object.assign(new SyncOrderPayload(), {
      order: r.order ? toOrder(r.order) : null,
      synced: Object.assign(new SyncOrderCounts(), r.counts),
      userErrors: [],
    });
  }
}
