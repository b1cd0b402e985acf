/**
 * Queued writes (src/db/pipeline.ts): they travel with the transaction's next statement, run in the
 * order written, are read back by the statements after them, commit or roll back with the
 * transaction, and a failure of one is never taken for the failure of the statement it travelled with.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { DeferredWriteError } from '../../src/db/pipeline';
import { isDuplicateKeyError, withTransaction } from '../../src/db/transaction';
import { insertIdempotencyKey } from '../../src/refunds/refund.store';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { packetsSent } from '../support/packets';
import { rows } from '../support/refunds';

let t: TestApp;
let ctx: RequestContext;
before(async () => {
  t = await createTestApp({ workers: false });
  ctx = RequestContext.system(t.app.services);
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const AUDIT = "INSERT INTO audit_log (subject, role, operation, arguments, request_id, outcome, occurred_at) VALUES ('pipeline-test', 'ADMIN', ?, '{}', ?, 'OK', NOW(3))";

/** What the service sends while `fn` runs, one entry per round trip: its statements. */
const packets = (fn: () => Promise<unknown>) => packetsSent(t.dataSource, fn);

const audited = async (requestId: string) => (await rows(t, 'SELECT operation FROM audit_log WHERE request_id = ? ORDER BY id', [requestId])).map((r) => r.operation);

test('queued writes run in order with the next statement, which reads them, and commit with the transaction', async () => {
  const id = `pipe-${Date.now()}-a`;
  let seenInside: unknown[] = [];
  const trips = await packets(() =>
    withTransaction(ctx, async (tx) => {
      await tx.later(AUDIT, ['first', id]);
      await tx.later(AUDIT, ['second', id]);
      seenInside = (await tx.manager.query('SELECT operation FROM audit_log WHERE request_id = ? ORDER BY id', [id])).map((r: { operation: string }) => r.operation);
      await tx.later(AUDIT, ['third', id]);
    }),
  );
  assert.deepEqual(seenInside, ['first', 'second']);
  assert.deepEqual(await audited(id), ['first', 'second', 'third']);
  // START TRANSACTION and both writes with the read; the third write with COMMIT.
  assert.deepEqual(
    trips.map((p) => p.map((s) => s.split(' ')[0])),
    [
      ['START', 'INSERT', 'INSERT', 'SELECT'],
      ['INSERT', 'COMMIT'],
    ],
  );
});

test('a unit that fails drops its queued writes: nothing is written, and nothing was sent to roll back', async () => {
  const id = `pipe-${Date.now()}-b`;
  const trips = await packets(() =>
    assert.rejects(
      withTransaction(ctx, async (tx) => {
        await tx.later(AUDIT, ['never', id]);
        throw new Error('the unit gives up');
      }),
      /gives up/,
    ),
  );
  assert.deepEqual(trips, []);
  assert.deepEqual(await audited(id), []);
});

test('a queued write that fails is reported as such, not as the duplicate key of the statement it travelled with; nothing commits', async () => {
  const id = `pipe-${Date.now()}-c`;
  const key = `pipe-key-${Date.now()}`;
  const k = { key, operation: 'refundInvoice', requestHash: 'h'.repeat(64), orderId: 'ord-pipeline', refundId: 'ref-pipeline', createdAt: new Date(), expiresAt: new Date() };
  await withTransaction(ctx, (tx) => insertIdempotencyKey(tx, k));
  let keyTaken: boolean | undefined;
  const err = await withTransaction(ctx, async (tx) => {
    await tx.later(AUDIT, ['before', id]);
    // A queued write that cannot succeed (no such column), then a statement whose own duplicate key the caller expects.
    await tx.later('INSERT INTO audit_log (no_such_column) VALUES (1)', []);
    keyTaken = !(await insertIdempotencyKey(tx, k));
  }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof DeferredWriteError, String(err));
  assert.equal(isDuplicateKeyError(err), false);
  assert.match(err.message, /no_such_column|Unknown column/);
  assert.equal(keyTaken, undefined, 'the caller never took the failure for its own duplicate key');
  assert.deepEqual(await audited(id), [], 'the write queued before it rolled back with the unit');
  // With only the transaction's start ahead of it, the same statement's duplicate key is the caller's to hear.
  assert.equal(await withTransaction(ctx, (tx) => insertIdempotencyKey(tx, k)), false);
});

test('a unit that swallows the failure of a queued write cannot commit without it', async () => {
  const id = `pipe-${Date.now()}-e`;
  const err = await withTransaction(ctx, async (tx) => {
    await tx.later('INSERT INTO audit_log (no_such_column) VALUES (1)', []);
    await tx.later(AUDIT, ['after the failed one', id]);
    await tx.manager.query('SELECT 1').catch(() => undefined);
  }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(err instanceof DeferredWriteError, String(err));
  assert.deepEqual(await audited(id), []);
});

test('a lock-wait timeout met by a queued write keeps its code, and the unit cannot commit after swallowing it', async () => {
  const id = `pipe-${Date.now()}-g`;
  await ctx.later(AUDIT, ['locked', id]);
  const [{ rowId }] = await t.dataSource.query('SELECT id AS rowId FROM audit_log WHERE request_id = ?', [id]);
  const holder = t.dataSource.createQueryRunner();
  await holder.connect();
  await holder.startTransaction();
  try {
    await holder.query('SELECT id FROM audit_log WHERE id = ? FOR UPDATE', [rowId]);
    const err = await withTransaction(
      ctx,
      async (tx) => {
        await tx.later("SET STATEMENT innodb_lock_wait_timeout = 1 FOR UPDATE audit_log SET outcome = 'CHANGED' WHERE id = ?", [rowId]);
        await tx.later(AUDIT, ['after the wait', id]);
        await tx.manager.query('SELECT 1').catch(() => undefined);
      },
      { retries: 0 },
    ).then(
      () => null,
      (e: unknown) => e,
    );
    assert.equal((err as { driverError?: { code?: string } } | null)?.driverError?.code, 'ER_LOCK_WAIT_TIMEOUT', String(err));
  } finally {
    await holder.rollbackTransaction();
    await holder.release();
  }
  assert.deepEqual(await audited(id), ['locked']);
});

test('outside a transaction a queued write is sent at once', async () => {
  const id = `pipe-${Date.now()}-d`;
  const trips = await packets(() => ctx.later(AUDIT, ['alone', id]));
  assert.equal(trips.length, 1);
  assert.deepEqual(await audited(id), ['alone']);
});

test('only the batches of queued writes may carry several statements: any other SQL text with a semicolon is refused unsent', async () => {
  const id = `pipe-${Date.now()}-f`;
  await assert.rejects(() => t.dataSource.query(`SELECT 1; ${AUDIT}`, ['stacked', id]), /refused: an SQL text with several statements/);
  await assert.rejects(() => withTransaction(ctx, (tx) => tx.manager.query(`SELECT 1; ${AUDIT}`, ['stacked', id])), /refused/);
  assert.deepEqual(await audited(id), []);
  // A value is a parameter, escaped after the check: it may hold anything.
  const [row] = await t.dataSource.query('SELECT ? AS v', [`x'; ${AUDIT}; --`]);
  assert.equal(row.v, `x'; ${AUDIT}; --`);
});
