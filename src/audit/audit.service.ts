import { RequestContext } from '../db/context';
import { insertRowLater } from '../db/upsert';
import { truncate } from '../shared/text';

const SECRET_KEYS = /(secret|token|password|authorization|apikey|api_key|card|cvv|iban)/i;

/** Removes values whose key looks secret, at any depth; bigint becomes its decimal string. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[…]';
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]));
  }
  return value;
}

export interface AuditInput {
  operation: string;
  args: unknown;
  orderId?: string | null;
  outcome: string;
}

/**
 * Writes the audit row. Call it with the transaction's context so the row commits (or rolls back)
 * with the change it describes; there it travels with the transaction's next statement (at the latest COMMIT).
 */
export async function writeAudit(ctx: RequestContext, a: AuditInput): Promise<void> {
  // AuditEntryEntity's row (table audit_log), in one hand-written statement.
  await insertRowLater(ctx, 'audit_log', {
    subject: truncate(ctx.actor.subject, 128),
    role: ctx.actor.role,
    operation: truncate(a.operation, 64),
    arguments: truncate(JSON.stringify(redact(a.args)), 60_000),
    order_id: a.orderId ?? null,
    request_id: truncate(ctx.requestId, 64),
    outcome: truncate(a.outcome, 96),
    occurred_at: ctx.now,
  });
}
