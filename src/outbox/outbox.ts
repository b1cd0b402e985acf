/**
 * Transactional outbox: a side effect owed to an upstream system is written as a row in the same
 * transaction as the change it follows, then delivered by a worker outside any transaction.
 */
import { createHash } from 'node:crypto';
import type { AppServices, OutboxHandler, RequestContext } from '../db/context';
import { stringifyWithBigints } from '../shared/json';

export interface OutboxItem {
  topic: string;
  /**
   * Unique forever: enqueuing the same effect twice (a replayed outcome) keeps the first. A key
   * longer than DEDUPE_KEY_MAX characters is stored as `sha256:<hex of the full key>` (see storedDedupeKey).
   */
  dedupeKey: string;
  orderId: string | null;
  payload: unknown;
}

export type { OutboxHandler, OutboxMessage } from '../db/context';

/** Adds (or replaces) the delivery of a topic; the modules' handlers are wired by the composition root. */
export function registerOutboxHandler(app: AppServices, topic: string, handler: OutboxHandler): void {
  app.outboxHandlers.set(topic, handler);
}

/** The width of outbox_message.dedupe_key. */
const DEDUPE_KEY_MAX = 191;

/**
 * The dedupe key as stored: the key itself, or `sha256:<64 hex>` of the whole key when it is longer
 * than the column. Never a prefix, which would make two different effects one.
 */
function storedDedupeKey(key: string): string {
  return key.length <= DEDUPE_KEY_MAX ? key : `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

const json = (v: unknown) => stringifyWithBigints(v);

/** Enqueues inside the caller's transaction; one statement however many items. */
export async function enqueueMany(tx: RequestContext, items: OutboxItem[]): Promise<void> {
  if (!tx.inTransaction) throw new Error('enqueue must run inside the transaction of the change it follows');
  if (items.length === 0) return;
  const now = tx.now;
  // Travels with the transaction's next statement, at the latest COMMIT.
  await tx.later(
    `INSERT IGNORE INTO outbox_message (topic, dedupe_key, order_id, payload, status, attempts, next_attempt_at, created_at, updated_at)
     VALUES ${items.map(() => "(?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)").join(', ')}`,
    items.flatMap((i) => [i.topic, storedDedupeKey(i.dedupeKey), i.orderId, json(i.payload), now, now, now]),
  );
}

export function enqueue(tx: RequestContext, topic: string, dedupeKey: string, orderId: string | null, payload: unknown): Promise<void> {
  return enqueueMany(tx, [{ topic, dedupeKey, orderId, payload }]);
}
