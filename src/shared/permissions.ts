import { Role } from './actor';

export enum Permission {
  /** Orders and their money state. */
  READ_ORDERS = 'READ_ORDERS',
  /** Unmasked customer identifiers. */
  READ_CUSTOMER_PII = 'READ_CUSTOMER_PII',
  /** Exceptions, summaries, reconciliation reports and runs. */
  READ_REPORTS = 'READ_REPORTS',
  RUN_RECONCILIATION = 'RUN_RECONCILIATION',
  ISSUE_REFUNDS = 'ISSUE_REFUNDS',
  SYNC_ORDERS = 'SYNC_ORDERS',
  /** POST_FINANCE_EVIDENCE and HOLD_AND_ESCALATE decisions. */
  DECIDE_FINANCE = 'DECIDE_FINANCE',
  /** Every decision. */
  DECIDE_ALL = 'DECIDE_ALL',
  READ_AUDIT = 'READ_AUDIT',
  READ_WEBHOOKS = 'READ_WEBHOOKS',
  /** The outbox's messages, dead letters included. */
  READ_OUTBOX = 'READ_OUTBOX',
  /** Puts dead outbox messages back in the queue. */
  RETRY_OUTBOX = 'RETRY_OUTBOX',
  /** Applies stored webhook events that were not applied, or were rejected, again. */
  RETRY_WEBHOOKS = 'RETRY_WEBHOOKS',
}

const ALL = Object.values(Permission);

const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  [Role.SUPPORT]: [Permission.READ_ORDERS],
  [Role.ANALYST]: [Permission.READ_ORDERS, Permission.READ_CUSTOMER_PII, Permission.READ_REPORTS, Permission.READ_WEBHOOKS],
  [Role.FINANCE]: [
    Permission.READ_ORDERS,
    Permission.READ_CUSTOMER_PII,
    Permission.READ_REPORTS,
    Permission.RUN_RECONCILIATION,
    Permission.DECIDE_FINANCE,
    Permission.READ_WEBHOOKS,
    Permission.READ_OUTBOX,
  ],
  [Role.ADMIN]: ALL,
  [Role.SYSTEM]: ALL,
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
