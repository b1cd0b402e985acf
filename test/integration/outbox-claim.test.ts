/** OUTBOX_CLAIM_MS: a message left RUNNING by a worker that died is retried once its claim expires, not before. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestContext } from '../../src/db/context';
import { withTransaction } from '../../src/db/transaction';
import { enqueue, registerOutboxHandler, runOutboxRound } from '../../src/outbox';
import { ManualClock } from '../../src/shared/clock';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { rows } from '../support/refunds';

const clock = new ManualClock(new Date('2031-03-01T10:00:00.000Z'));
let t: TestApp;
before(async () => {
  // UPSTREAM_TIMEOUT_MS is 1000 in tests: the shortest claim allowed is max(3 × 1000, 1000 × 3 + 1000 × 2) = 5000 ms.
  t = await createTestApp({ clock, env: { AUTO_REFUND_INPUT_INVOICES: 'false', OUTBOX_CLAIM_MS: '5000' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

test('a RUNNING message whose worker died is retried after OUTBOX_CLAIM_MS, by the test clock', async () => {
  assert.equal(t.config.outbox.claimMs, 5000);
  let release!: () => void;
  let started!: () => void;
  const hung = new Promise<void>((r) => (release = r));
  const claimed = new Promise<void>((r) => (started = r));
  let calls = 0;
  registerOutboxHandler(t.app.services, 'test.claim', async () => {
    calls++;
    if (calls === 1) {
      // The first worker takes the message and never comes back (it "died" holding it).
      started();
      await hung;
      throw new Error('the dead worker never reports');
    }
  });
  const ctx = RequestContext.system(t.app.services);
  await withTransaction(ctx, (tx) => enqueue(tx, 'test.claim', 'test:claim', null, {}));
  const dead = runOutboxRound(t.app.services);
  await claimed;
  const [held] = await rows(t, "SELECT status, attempts, locked_until FROM outbox_message WHERE dedupe_key = 'test:claim'");
  assert.deepEqual([held.status, held.attempts], ['RUNNING', 1]);
  assert.equal(new Date(held.locked_until).getTime(), clock.now().getTime() + 5000);

  clock.advance(4999);
  assert.equal((await runOutboxRound(t.app.services)).claimed, 0, 'the claim still holds');
  assert.equal(calls, 1);

  clock.advance(2);
  const r = await runOutboxRound(t.app.services);
  assert.deepEqual([r.claimed, r.done], [1, 1]);
  assert.equal(calls, 2);
  const [m] = await rows(t, "SELECT status, attempts FROM outbox_message WHERE dedupe_key = 'test:claim'");
  assert.deepEqual([m.status, m.attempts], ['DONE', 2]);

  // The dead worker's late report changes nothing: the message is no longer RUNNING.
  release();
  await dead;
  const [after] = await rows(t, "SELECT status FROM outbox_message WHERE dedupe_key = 'test:claim'");
  assert.equal(after.status, 'DONE');
});
