/**
 * A request's reads sent together. DataLoader dispatches the batches of every loader that was asked
 * for keys in the same turn of the event loop; the statements those batches send in that turn
 * travel in multi-statement packets (src/db/pipeline.ts builds them), a packet on one pooled
 * connection, instead of a packet and a connection each. A packet is one socket write and one
 * answer to read: on this kind of server a write to the database's socket costs as much CPU as
 * building a small statement's rows, and a support query sends eight lists at once.
 *
 * The statements of a packet run one after another on the database's side, those of different
 * packets side by side. So a packet takes statements until they ask for PACKET_KEYS keys together:
 * one order's eight lists go in one packet; a page's lists, each for up to a hundred orders, go
 * in packets of their own and run in parallel as before.
 *
 * Each statement still runs on its own (autocommit: what it reads is committed when it starts).
 * Outside a transaction only: a transaction's statements go on its connection, one at a time, as
 * before. A packet that fails is sent again one statement at a time, so each read hears only its
 * own error, as it would have alone.
 */
import { RequestContext } from './context';
import { sendTogether } from './pipeline';

/** How many keys the statements of one packet may ask for together (a statement asking for more goes alone). */
export const PACKET_KEYS = 48;

interface Waiting {
  sql: string;
  params: unknown[];
  keys: number;
  resolve: (rows: unknown) => void;
  reject: (err: unknown) => void;
}

/** The statements of each request waiting for the end of the current turn. */
const waiting = new WeakMap<RequestContext, Waiting[]>();

/** `ctx.manager.query(sql, params)`, sent with the other reads of `ctx` in this turn; `keys`: how many rows' keys it asks for. */
export function readTogether(ctx: RequestContext, sql: string, params: unknown[], keys = 1): Promise<unknown> {
  if (ctx.inTransaction) return ctx.manager.query(sql, params);
  const queue = waiting.get(ctx) ?? newTurn(ctx);
  return new Promise((resolve, reject) => queue.push({ sql, params, keys, resolve, reject }));
}

/** The queue of `ctx`'s reads in this turn, sent after every promise job and nextTick of it (DataLoader dispatches its batches there). */
function newTurn(ctx: RequestContext): Waiting[] {
  const queue: Waiting[] = [];
  waiting.set(ctx, queue);
  setImmediate(() => {
    waiting.delete(ctx);
    send(ctx, queue);
  });
  return queue;
}

function alone(ctx: RequestContext, w: Waiting): void {
  ctx.manager.query(w.sql, w.params).then(w.resolve, w.reject);
}

function send(ctx: RequestContext, queue: readonly Waiting[]): void {
  let packet: Waiting[] = [];
  let keys = 0;
  for (const w of queue) {
    if (packet.length > 0 && keys + w.keys > PACKET_KEYS) {
      void sendPacket(ctx, packet);
      packet = [];
      keys = 0;
    }
    packet.push(w);
    keys += w.keys;
  }
  void sendPacket(ctx, packet);
}

async function sendPacket(ctx: RequestContext, packet: readonly Waiting[]): Promise<void> {
  if (packet.length === 1) return alone(ctx, packet[0]!);
  let results: unknown[];
  try {
    results = await sendTogether((sql, params) => ctx.manager.query(sql, params), packet);
  } catch {
    for (const w of packet) alone(ctx, w);
    return;
  }
  packet.forEach((w, i) => w.resolve(results[i]));
}
