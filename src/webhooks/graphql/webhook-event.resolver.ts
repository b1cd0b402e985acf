import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { ConnectionType, decodeCursor, pageSize, toConnection } from '../../graphql/connection';
import { GqlContext } from '../../graphql/context';
import { badInput } from '../../graphql/errors';
import { toUserError, UserError } from '../../graphql/user-error.type';
import { Permission } from '../../shared/permissions';
import { WebhookEventEntity, WebhookEventStatus, WebhookSource } from '../webhook-event.entity';
import { auditWebhookRetryRefusal, MAX_WEBHOOK_RETRY_IDS, retryWebhookEvents } from '../webhook.admin';

registerEnumType(WebhookSource, { name: 'WebhookSource' });
registerEnumType(WebhookEventStatus, { name: 'WebhookEventStatus' });

@ObjectType({ description: 'A webhook delivery as received: stored raw before it was applied.' })
class WebhookEvent {
  @Field(() => ID) id: string;
  @Field(() => WebhookSource) source: WebhookSource;
  @Field({ description: "The sender's event id (unique per source)." }) eventId: string;
  @Field(() => String, { nullable: true }) eventType: string | null;
  @Field() signatureValid: boolean;
  @Field(() => WebhookEventStatus) status: WebhookEventStatus;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => Int, { description: 'How many times the same event was delivered again.' }) replayCount: number;
  @Field({ description: 'The raw body, as received.' }) payload: string;
  @Field() receivedAt: Date;
  @Field(() => Date, { nullable: true }) processedAt: Date | null;
  @Field(() => Int, { description: 'Apply attempts that did not end in PROCESSED (failures and waits).' }) attempts: number;
  @Field(() => Date, { nullable: true, description: 'When the retry worker applies an unapplied event next.' }) nextAttemptAt: Date | null;
  @Field(() => String, { nullable: true, description: 'What a WAITING event waits for: "order:<id>", "payment:<id>" or "refund:<id>" (the PSP\'s own record of that refund).' })
  waitingFor: string | null;
}

const WebhookEventConnection = ConnectionType('WebhookEvent', WebhookEvent);

@InputType()
class WebhookEventFilter {
  @Field(() => WebhookSource, { nullable: true }) source?: WebhookSource;
  @Field(() => [WebhookEventStatus], { nullable: true }) status?: WebhookEventStatus[];
  @Field(() => String, { nullable: true }) eventType?: string;
}

@ArgsType()
class WebhookEventsArgs {
  @Field(() => WebhookEventFilter, { nullable: true }) filter?: WebhookEventFilter;
  @Field(() => Int, { nullable: true }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@InputType({ description: `Stored webhook events to apply again (1 to ${MAX_WEBHOOK_RETRY_IDS} ids).` })
class RetryWebhookEventsInput {
  @Field(() => [ID], { description: 'Events not applied or rejected: if one is unknown or already applied, nothing is retried.' }) ids: string[];
}

@ObjectType()
class RetryWebhookEventsPayload {
  @Field(() => [WebhookEvent], { description: 'The events retried, as they stand after this attempt: PROCESSED when applied, else with the reason.' })
  retried: WebhookEvent[];
  @Field(() => [UserError]) userErrors: UserError[];
}

const toWebhookEvent = (e: WebhookEventEntity): WebhookEvent => Object.assign(new WebhookEvent(), e);

@Resolver(() => WebhookEvent)
export class WebhookEventResolver {
  @Authorized(Permission.READ_WEBHOOKS)
  @Query(() => WebhookEventConnection, { description: 'Received webhook events, newest first: what arrived, what was rejected and why.' })
  async webhookEvents(@Args() { filter, first, after }: WebhookEventsArgs, @Ctx() { ctx }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    const qb = ctx.manager.getRepository(WebhookEventEntity).createQueryBuilder('w');
    if (filter?.source) qb.andWhere('w.source = :source', { source: filter.source });
    if (filter?.status?.length) qb.andWhere('w.status IN (:...status)', { status: filter.status });
    if (filter?.eventType) qb.andWhere('w.eventType = :type', { type: filter.eventType });
    if (after) {
      const [id] = decodeCursor(after, 1);
      if (!/^\d+$/.test(String(id))) throw badInput('Invalid cursor: pass back a cursor this API returned', 'after');
      qb.andWhere('w.id < :id', { id: String(id) });
    }
    const rows = await qb
      .orderBy('w.id', 'DESC')
      .take(size + 1)
      .getMany();
    return toConnection(rows, size, (r) => [r.id], toWebhookEvent, Boolean(after));
  }

  @Authorized(Permission.RETRY_WEBHOOKS)
  @Mutation(() => RetryWebhookEventsPayload, {
    description:
      'Applies stored webhook events that were not applied or were rejected again, now, as the retry worker would: attempts reset to 0; an event still a claim the upstream must confirm waits for it. Audited.',
  })
  async retryWebhookEvents(@Arg('input', () => RetryWebhookEventsInput) input: RetryWebhookEventsInput, @Ctx() { ctx }: GqlContext): Promise<RetryWebhookEventsPayload> {
    const problem =
      input.ids.length === 0 || input.ids.length > MAX_WEBHOOK_RETRY_IDS
        ? `ids takes 1 to ${MAX_WEBHOOK_RETRY_IDS} webhook event ids`
        : input.ids.every((id) => /^[1-9]\d{0,18}$/.test(id))
          ? null
          : 'ids must be webhook event ids (digits)';
    if (problem) {
      await auditWebhookRetryRefusal(ctx, input, 'BAD_USER_INPUT');
      throw badInput(problem, 'ids');
    }
    const r = await retryWebhookEvents(ctx, input.ids);
    return Object.assign(new RetryWebhookEventsPayload(), { retried: r.retried.map(toWebhookEvent), userErrors: r.userErrors.map(toUserError) });
  }
}
