/**
 * The fault campaign through Stripe, in the suite: a short run with a fixed seed, every scenario's
 * payment taken and refunded through the Stripe adapter against the Stripe simulator. Any violation
 * fails the test, listed with the command that replays its round.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DatabaseServer, ensureDatabaseServer } from '../../scripts/lib/local-server';
import { report, runCampaign } from './campaign';

const SEED = 20261215;
const ROUNDS = 3;
const CONCURRENCY = 4;

let server: DatabaseServer | undefined;
after(async () => {
  await server?.stop();
});

test(`fault campaign through Stripe, fixed seed ${SEED}: no exactly-once violation`, { timeout: 240_000 }, async () => {
  server = await ensureDatabaseServer(process.env.MG_TEST_SERVER_URL || process.env.DATABASE_URL);
  const s = await runCampaign({
    seed: SEED,
    psp: 'stripe',
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    serverUrl: server.url,
    outDir: path.resolve(__dirname, '..', '..', '..', '.data', 'campaign-test', `stripe-${SEED}-${Date.now()}`),
    log: (l) => console.log(`[stripe seed ${SEED}] ${l}`),
  });
  console.log(report(s));
  assert.equal(s.psp, 'stripe');
  assert.ok(s.operations > 30, `the campaign ran too few operations (${s.operations})`);
  // The payments really went through Stripe: the Stripe simulator holds the refunds the checker read.
  assert.ok((s.pspRefundsByStatus.SUCCEEDED ?? 0) > 0, `no refund succeeded at Stripe (${JSON.stringify(s.pspRefundsByStatus)})`);
  assert.equal(s.unexpectedExits, 0, `the service died other than by a fault point (see ${s.serviceLog})`);
  const list = s.violations.map((v) => `  [${v.invariant}] seed ${v.seed} round ${v.round} order ${v.orderId}: ${v.detail}\n    replay: ${v.replay}`);
  assert.equal(s.violations.length, 0, `${s.violations.length} violation(s):\n${list.join('\n')}`);
});
