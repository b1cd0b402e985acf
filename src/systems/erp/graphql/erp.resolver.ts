import { Ctx, Field, FieldResolver, ID, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import { GqlContext } from '../../../graphql/context';
import { mapNow } from '../../../graphql/loader-utils';
import { Money, toMoney } from '../../../graphql/money.type';
import { Order } from '../../oms';
import { ErpPostingEntity, ErpPostingKind, ErpPostingStatus } from '../entities';

registerEnumType(ErpPostingKind, { name: 'ErpPostingKind' });
registerEnumType(ErpPostingStatus, { name: 'ErpPostingStatus' });

@ObjectType({ description: 'A journal document in the ERP.' })
class ErpPosting {
  @Field(() => ID, { description: "The ERP's document id." }) id: string;
  @Field(() => ErpPostingKind) kind: ErpPostingKind;
  @Field({ description: 'The idempotency key sent to the ERP: PSP refund id, capture id or invoice number.' }) externalRef: string;
  @Field(() => ID, { nullable: true }) orderId: string | null;
  @Field(() => Money) amount: Money;
  @Field(() => ErpPostingStatus) status: ErpPostingStatus;
  @Field(() => String, { nullable: true }) reasonCode: string | null;
  @Field() postedAt: Date;
}

function toErpPosting(e: ErpPostingEntity): ErpPosting {
  return Object.assign(new ErpPosting(), {
    id: e.id,
    kind: e.kind,
    externalRef: e.externalRef,
    orderId: e.orderId,
    amount: toMoney(e.amountMinor, e.currency),
    status: e.status,
    reasonCode: e.reasonCode,
    postedAt: e.postedAt,
  });
}

@Resolver(() => Order)
export class OrderErpResolver {
  @FieldResolver(() => [ErpPosting])
  erpPostings(@Root() order: Order, @Ctx() { loaders }: GqlContext): ErpPosting[] | Promise<ErpPosting[]> {
    return mapNow(loaders.erpPostingsByOrderId.now(order.id), (rows) => rows.map(toErpPosting));
  }
}
