/**
 * Resolvers contributed by the use-case modules (refund execution, exceptions, reconciliation,
 * audit). Kept apart from schema.ts so each module registers itself in one line here.
 */
import { SyncOrderResolver } from '../sync';
import { AuditLogResolver } from '../audit/graphql/audit-log.resolver';
import { RefundMutationsResolver } from '../refunds/graphql/refund-mutations.resolver';
import { RECONCILIATION_RESOLVERS } from '../reconciliation/graphql';
import { OutboxResolver } from '../outbox/graphql/outbox.resolver';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers: Function[] = [SyncOrderResolver, AuditLogResolver, RefundMutationsResolver, OutboxResolver, ...RECONCILIATION_RESOLVERS];
const referenceResolvers: Record<string, Record<string, unknown>>[] = [];

export const SCHEMA_EXTENSIONS = { resolvers, referenceResolvers };
