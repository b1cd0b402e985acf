// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
import type { ModuleDefinition } from '../core/module';
import { AuditEntryEntity } from './audit-entry.entity';
import { AuditLogResolver } from './graphql/audit-log.resolver';

export const auditModule: ModuleDefinition = {
  name: 'audit',
  entities: [AuditEntryEntity],
  resolvers: [AuditLogResolver],
};
