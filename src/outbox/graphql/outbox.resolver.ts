import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { ConnectionType, decodeCursor, pageSize, toConnection } from '../../graphql/connection';
import { GqlContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { toUserError, UserError } from '../../graphql/user-error.type';
import { Permission } from '../../shared/permissions';
import { auditRetryRefusal, listOutboxMessages, MAX_RETRY_IDS, retryOutboxMessages } from '../outbox.admin';
import { OutboxMessageEntity, OutboxStatus } from '../outbox-message.entity';

registerEnumType(OutboxStatus, {
  name: 'OutboxStatus',
  description: 'PENDING: due at nextAttemptAt. RUNNING: claimed by a worker. DONE: delivered. DEAD: gave up after OUTBOX_MAX_ATTEMPTS; retryOutboxMessages puts it back.',
});

@ObjectType({ description: 'A side effect moneygraph owes an upstream system (ERP posting, OMS interaction or invoiceData, automatic refund).' })
class OutboxMessage {
  @Field(() => ID) id: string;
  @Field({ description: 'erp.post, oms.interaction, oms.invoiceData or refund.auto.' }) topic: string;
  @Field({ description: 'Unique forever; a key longer than 191 characters is stored as sha256:<hex>.' }) dedupeKey: string;
  @Field(() => ID, { nullable: true }) orderId: string | null;
  @Field(() => OutboxStatus) status: OutboxStatus;
  @Field(() => Int, { description: 'Delivery attempts so far (reset to 0 by a retry of a dead message).' }) attempts: number;
  @Field() nextAttemptAt: Date;
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (kept when a dead message is retried).' }) lastError: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) doneAt: Date | null;
  @Field(() => GraphQLJSON, { description: 'What the handler delivers; amounts are minor units as digit strings.' }) payload: unknown;
}

const OutboxMessageConnection = ConnectionType('OutboxMessage', OutboxMessage);

@InputType()
class OutboxMessageFilter {
  @Field(() => [OutboxStatus], { nullable: true }) status?: OutboxStatus[];
  @Field(() => String, { nullable: true }) topic?: string;
  @Field(() => ID, { nullable: true }) orderId?: string;
}

@ArgsType()
class OutboxMessagesArgs {
  @Field(() => OutboxMessageFilter, { nullable: true }) filter?: OutboxMessageFilter;
  @Field(() => Int, { nullable: true }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@InputType({ description: 'DEAD messages of this topic and/or order (both optional).' })
class DeadOutboxMessageFilter {
  @Field(() => String, { nullable: true }) topic?: string | null;
  @Field(() => ID, { nullable: true }) orderId?: string | null;
}

@InputType({ description: `Either ids (1 to ${MAX_RETRY_IDS}) or filter; the filter retries at most ${MAX_RETRY_IDS} messages per call, oldest first.` })
class RetryOutboxMessagesInput {
  @Field(() => [ID], { nullable: true, description: 'DEAD messages to retry: if one is unknown or not DEAD, nothing is retried.' }) ids?: string[] | null;
  @Field(() => DeadOutboxMessageFilter, { nullable: true }) filter?: DeadOutboxMessageFilter | null;
}

@ObjectType()
class RetryOutboxMessagesPayload {
  @Field(() => [OutboxMessage], { description: 'The messages put back to PENDING, due now, attempts reset.' }) retried: OutboxMessage[];
  @Field(() => [UserError]) userErrors: UserError[];
}

const toOutboxMessage = (e: OutboxMessageEntity): OutboxMessage => {
  let payload: unknown;
  try {
    payload = JSON.parse(e.payload);
  } catch {
    payload = e.payload;
  }
  return Object.assign(new OutboxMessage(), {
    id: String(e.id),
    topic: e.topic,
    dedupeKey: e.dedupeKey,
    orderId: e.orderId,
    status: e.status,
    attempts: e.attempts,
    nextAttemptAt: e.nextAttemptAt,
    lastError: e.lastError,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    doneAt: e.doneAt,
    payload,
  });
};

const shortText = (v: string | null | undefined, field: string) => {
  if (v !== null && v !== undefined && (v.length === 0 || v.length > 64)) throw badInput(`${field} must be 1 to 64 characters`, field);
};

/** The input's problem as a BAD_USER_INPUT message, or null when it is well-formed. */
function invalidRetryInput(input: RetryOutboxMessagesInput): { message: string; field: string } | null {
  const hasIds = input.ids !== null && input.ids !== undefined;
  const hasFilter = input.filter !== null && input.filter !== undefined;
  if (hasIds === hasFilter) return { message: 'Give either ids or filter', field: 'input' };
  if (hasIds) {
    if (input.ids!.length === 0 || input.ids!.length > MAX_RETRY_IDS) return { message: `ids takes 1 to ${MAX_RETRY_IDS} message ids`, field: 'ids' };
    if (!input.ids!.every((id) => /^[1-9]\d{0,18}$/.test(id))) return { message: 'ids must be outbox message ids (digits)', field: 'ids' };
  }
  for (const f of ['topic', 'orderId'] as const) {
    const v = input.filter?.[f];
    if (v !== null && v !== undefined && (v.length === 0 || v.length > 64)) return { message: `filter.${f} must be 1 to 64 characters`, field: `filter.${f}` };
  }
  return null;
}

@Resolver(() => OutboxMessage)
export class OutboxResolver {
  @Authorized(Permission.READ_OUTBOX)
  @Query(() => OutboxMessageConnection, { description: 'Outbox messages, newest first: what is owed upstream, what was delivered, and the dead letters.' })
  async outboxMessages(@Args() { filter, first, after }: OutboxMessagesArgs, @Ctx() { ctx }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    shortText(filter?.topic, 'filter.topic');
    shortText(filter?.orderId, 'filter.orderId');
    let beforeId: string | undefined;
    if (after) {
      const [id] = decodeCursor(after, 1);
      if (!/^\d{1,20}$/.test(String(id))) throw badInput('Invalid cursor: pass back a cursor this API returned', 'after');
      beforeId = String(id);
    }
    const rows = await listOutboxMessages(ctx, filter ?? {}, size + 1, beforeId);
    return toConnection(rows, size, (r) => [String(r.id)], toOutboxMessage, Boolean(after));
  }

  @Authorized(Permission.RETRY_OUTBOX)
  @Mutation(() => RetryOutboxMessagesPayload, { description: 'Puts DEAD outbox messages back in the queue: PENDING, due now, attempts reset to 0, last error kept. Audited.' })
  async retryOutboxMessages(@Arg('input', () => RetryOutboxMessagesInput) input: RetryOutboxMessagesInput, @Ctx() { ctx }: GqlContext): Promise<RetryOutboxMessagesPayload> {
    const invalid = invalidRetryInput(input);
    if (invalid) {
      await auditRetryRefusal(ctx, input, 'BAD_USER_INPUT');
      throw badInput(invalid.message, invalid.field);
    }
    const r = await retryOutboxMessages(ctx, { ids: input.ids, filter: input.filter ? { topic: input.filter.topic, orderId: input.filter.orderId } : null });
    return Object.assign(new RetryOutboxMessagesPayload(), { retried: r.retried.map(toOutboxMessage), userErrors: r.userErrors.map(toUserError) });
  }
}
