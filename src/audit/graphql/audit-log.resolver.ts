import { Args, ArgsType, Authorized, Ctx, Field, ID, InputType, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { ConnectionType, pageSize, toConnection } from '../../graphql/connection';
import { GqlContext } from '../../graphql/context';
import { Permission } from '../../shared/permissions';
import { AuditEntryEntity } from '../audit-entry.entity';
import { listAuditEntries } from './audit-log.service';

@ObjectType({ description: 'One audited action: who did what, when, with which arguments and outcome.' })
class AuditEntry {
  @Field(() => ID) id: string;
  @Field({ description: 'The JWT subject or the API key owner.' }) subject: string;
  @Field({ description: 'The role the action was taken with.' }) role: string;
  @Field({ description: 'The mutation or decision, e.g. refundInvoice.' }) operation: string;
  @Field({ description: 'The arguments as JSON, with secrets removed.' }) arguments: string;
  @Field(() => ID, { nullable: true }) orderId: string | null;
  @Field() requestId: string;
  @Field({ description: 'SUCCEEDED, FAILED or REJECTED:<code>.' }) outcome: string;
  @Field() occurredAt: Date;
}

const AuditEntryConnection = ConnectionType('AuditEntry', AuditEntry);

@InputType()
class AuditLogFilterInput {
  @Field(() => String, { nullable: true }) subject?: string;
  @Field(() => String, { nullable: true }) operation?: string;
  @Field(() => ID, { nullable: true }) orderId?: string;
  @Field(() => Date, { nullable: true }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Exclusive.' }) to?: Date;
}

@ArgsType()
class AuditLogArgs {
  @Field(() => AuditLogFilterInput, { nullable: true }) filter?: AuditLogFilterInput;
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

function toAuditEntry(e: AuditEntryEntity): AuditEntry {
  return Object.assign(new AuditEntry(), {
    id: e.id,
    subject: e.subject,
    role: e.role,
    operation: e.operation,
    arguments: e.arguments,
    orderId: e.orderId,
    requestId: e.requestId,
    outcome: e.outcome,
    occurredAt: e.occurredAt,
  });
}

@Resolver(() => AuditEntry)
export class AuditLogResolver {
  @Authorized(Permission.READ_AUDIT)
  @Query(() => AuditEntryConnection, { description: 'The audit log, newest first. Admins only.' })
  async auditLog(@Args() { filter, first, after }: AuditLogArgs, @Ctx() { ctx }: GqlContext) {
    const size = pageSize(first, ctx.app.config.maxPageSize);
    const rows = await listAuditEntries(ctx, filter ?? {}, size, after);
    return toConnection(rows, size, (r) => [r.occurredAt.toISOString(), r.id], toAuditEntry, Boolean(after));
  }
}
