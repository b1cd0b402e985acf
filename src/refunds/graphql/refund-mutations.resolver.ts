import { GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Field, ID, Info, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { GqlContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { CurrencyCode, DecimalScalar } from '../../graphql/scalars';
import { toUserError, UserError } from '../../graphql/user-error.type';
import { Permission } from '../../shared/permissions';
import { Order, toOrder } from '../../systems/oms';
import { RefundEntity } from '../entities';
import { creditPaymentMethod, recoverRefundsCommand, refundInvoice, RefundCommandResult } from '../refund.service';
import { Refund, toRefund } from './refund.types';

@InputType()
class RefundInvoiceInput {
  @Field(() => ID) orderId: string;
  @Field(() => ID, { description: 'The INPUT (return) invoice to refund.' }) invoiceId: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Defaults to what is pending on the invoice.' }) amount?: string | null;
  @Field(() => CurrencyCode, { nullable: true, description: "Must be the order's currency when given." }) currencyCode?: string | null;
  @Field(() => ID, { nullable: true, description: 'The payment to refund; by default the first captured payment that can refund the amount.' })
  paymentId?: string | null;
  @Field({ description: 'Up to 64 characters; sent to the PSP.' }) reason: string;
  @Field({ description: 'The same key with the same arguments returns the first result; kept at least 72 hours.' }) idempotencyKey: string;
}

@InputType({ description: 'Who the credited customer is: at least one of the three.' })
class CustomerIdentifierInput {
  @Field(() => String, { nullable: true }) hsid?: string | null;
  @Field(() => String, { nullable: true }) enterpriseId?: string | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'String values only.' }) metadata?: Record<string, unknown> | null;
}

@InputType()
class CreditPaymentMethodInput {
  @Field(() => ID) orderId: string;
  @Field(() => ID) paymentMethodId: string;
  @Field(() => DecimalScalar) amount: string;
  @Field(() => CurrencyCode, { nullable: true }) currencyCode?: string | null;
  @Field(() => CustomerIdentifierInput, { nullable: true }) customer?: CustomerIdentifierInput | null;
  @Field() reason: string;
  @Field() idempotencyKey: string;
}

@InputType()
class RecoverRefundsInput {
  @Field(() => ID, { nullable: true, description: 'Only this order; omitted: every stale refund, in batches.' }) orderId?: string | null;
}

@ObjectType()
class RefundInvoicePayload {
  @Field(() => Refund, { nullable: true, description: 'SUCCEEDED or FAILED; SUBMITTED when the PSP could not be heard (recovery settles it).' })
  refund: Refund | null;
  @Field(() => Order, { nullable: true, description: 'The order after the refund.' }) order: Order | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ObjectType()
class CreditPaymentMethodPayload {
  @Field(() => Refund, { nullable: true }) refund: Refund | null;
  @Field(() => Order, { nullable: true }) order: Order | null;
  @Field(() => [UserError]) userErrors: UserError[];
}

@ObjectType()
class RecoverRefundsPayload {
  @Field(() => [Refund], { description: 'The refunds recovery drove, in their state afterwards.' }) recovered: Refund[];
  @Field(() => [UserError]) userErrors: UserError[];
}

@Resolver()
export class RefundMutationsResolver {
  @Authorized(Permission.ISSUE_REFUNDS)
  @Mutation(() => RefundInvoicePayload, { description: 'Refunds an INPUT invoice exactly once (two-phase, recovered with its own key if interrupted).' })
  async refundInvoice(@Arg('input', () => RefundInvoiceInput) input: RefundInvoiceInput, @Ctx() gql: GqlContext, @Info() info: GraphQLResolveInfo): Promise<RefundInvoicePayload> {
    checkCommon(input);
    return toPayload(gql, await refundInvoice(gql.ctx, input), new RefundInvoicePayload(), info);
  }

  @Authorized(Permission.ISSUE_REFUNDS)
  @Mutation(() => CreditPaymentMethodPayload, { description: 'A credit to a payment method (unlinked refund), not allocated to an invoice.' })
  async creditPaymentMethod(
    @Arg('input', () => CreditPaymentMethodInput) input: CreditPaymentMethodInput,
    @Ctx() gql: GqlContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<CreditPaymentMethodPayload> {
    checkCommon(input);
    const c = input.customer;
    if (c?.metadata && (Object.keys(c.metadata).length > 20 || Object.values(c.metadata).some((v) => typeof v !== 'string' || v.length > 128))) {
      throw badInput('customer.metadata takes at most 20 string values of up to 128 characters', 'customer');
    }
    const customer = c ? { hsid: c.hsid ?? null, enterpriseId: c.enterpriseId ?? null, metadata: (c.metadata as Record<string, string> | null) ?? null } : null;
    return toPayload(gql, await creditPaymentMethod(gql.ctx, { ...input, customer }), new CreditPaymentMethodPayload(), info);
  }

  @Authorized(Permission.ISSUE_REFUNDS)
  @Mutation(() => RecoverRefundsPayload, { description: 'Drives refunds left REQUESTED or SUBMITTED to their outcome, each with its original key.' })
  async recoverRefunds(@Arg('input', () => RecoverRefundsInput) input: RecoverRefundsInput, @Ctx() gql: GqlContext): Promise<RecoverRefundsPayload> {
    if (input.orderId !== null && input.orderId !== undefined && (input.orderId.length === 0 || input.orderId.length > 64))
      throw badInput('orderId must be 1 to 64 characters', 'orderId');
    const r = await recoverRefundsCommand(gql.ctx, input);
    refreshLoaders(gql);
    return Object.assign(new RecoverRefundsPayload(), { recovered: r.recovered.map(toRefund), userErrors: r.userErrors.map(toUserError) });
  }
}

function checkCommon(input: { orderId: string; reason: string; idempotencyKey: string }): void {
  if (input.orderId.length === 0 || input.orderId.length > 64) throw badInput('orderId must be 1 to 64 characters', 'orderId');
  if (input.reason.trim().length === 0 || input.reason.length > 64) throw badInput('reason must be 1 to 64 characters', 'reason');
  if (!/^[\x21-\x7e]{1,128}$/.test(input.idempotencyKey)) throw badInput('idempotencyKey must be 1 to 128 printable ASCII characters without spaces', 'idempotencyKey');
}

/** The mutation committed: drop what this request's loaders cached, so the payload shows the new state. */
function refreshLoaders(gql: GqlContext): void {
  gql.renewLoaders();
}

async function toPayload<P extends { refund: Refund | null; order: Order | null; userErrors: UserError[] }>(
  gql: GqlContext,
  r: RefundCommandResult,
  p: P,
  info: GraphQLResolveInfo,
): Promise<P> {
  refreshLoaders(gql);
  if (r.refund) {
    gql.loaders.refundById.prime(r.refund.id, r.refund as RefundEntity);
    gql.logFields.refundId = r.refund.id;
    gql.logFields.merchantTransactionId = r.refund.merchantTransactionId;
  }
  // The order costs a read: only when the client asks for it.
  const order = r.orderId && selects(info, 'order') ? await gql.loaders.orderById.load(r.orderId) : null;
  return Object.assign(p, { refund: r.refund ? toRefund(r.refund) : null, order: order ? toOrder(order) : null, userErrors: r.userErrors.map(toUserError) });
}

/** Whether the field's selection names `name` at its first level (through fragments; @skip/@include ignored). */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const walk = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((s) =>
      s.kind === Kind.FIELD ? s.name.value === name : walk(s.kind === Kind.INLINE_FRAGMENT ? s.selectionSet : info.fragments[s.name.value]?.selectionSet),
    );
  return info.fieldNodes.some((f) => walk(f.selectionSet));
}
