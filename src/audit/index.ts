/**
 * Audit module: owns the audit log. Every mutation and decision writes one row, in the same
 * transaction as the change it records.
 */
export { auditModule } from './audit.module';
export { writeAudit } from './audit.service';
/** @public */
export { AuditEntryEntity } from './audit-entry.entity';
