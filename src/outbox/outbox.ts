/**
 * Transactional outbox: a side effect owed to an upstream system is written as a row in the same
 * transaction as the change it follows, then delivered by a worker outside any transaction.
 */
import { AppServices, RequestContext } from '../db/context';

export interface OutboxItem {
  topic: string;
  /** Unique forever: enqueuing the same effect twice (a replayed outcome) keeps the first. */
  dedupeKey: string;
  orderId: string | null;
  payload: unknown;
}

export interface OutboxMessage {
  id: string;
  topic: string;
  dedupeKey: string;
  orderId: string | null;
  payload: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  attempts: number;
}

/** Runs outside any transaction; throwing reschedules the message with backoff. */
export type OutboxHandler = (ctx: RequestContext, msg: OutboxMessage) => Promise<void>;

const HANDLERS = 'outbox.handlers';

export function registerOutboxHandler(app: AppServices, topic: string, handler: OutboxHandler): void {
  handlersOf(app).set(topic, handler);
}

export function handlersOf(app: AppServices): Map<string, OutboxHandler> {
  let m = app.registry.get(HANDLERS) as Map<string, OutboxHandler> | undefined;
  if (!m) app.registry.set(HANDLERS, (m = new Map()));
  return m;
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** Enqueues inside the caller's transaction; one statement however many items. */
export async function enqueueMany(tx: RequestContext, items: OutboxItem[]): Promise<void> {
  if (!tx.inTransaction) throw new Error('enqueue must run inside the transaction of the change it follows');
  if (items.length === 0) return;
  const now = tx.now;
  await tx.manager.query(
    `INSERT IGNORE INTO outbox_message (topic, dedupe_key, order_id, payload, status, attempts, next_attempt_at, created_at, updated_at)
     VALUES ${items.map(() => "(?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)").join(', ')}`,
    items.flatMap((i) => [i.topic, i.dedupeKey.slice(0, 191), i.orderId, json(i.payload), now, now, now]),
  );
}

export function enqueue(tx: RequestContext, topic: string, dedupeKey: string, orderId: string | null, payload: unknown): Promise<void> {
  return enqueueMany(tx, [{ topic, dedupeKey, orderId, payload }]);
}
