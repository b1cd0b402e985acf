/**
 * The VTEX fault campaign in the suite (OMS=vtex): a short one with a fixed seed. Any violation
 * fails the test, listed with the command that replays its round.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ensureDatabaseServer, type DatabaseServer } from '../../scripts/lib/local-server';
import { report } from './campaign';
import { runVtexCampaign } from './vtex-campaign';

const SEED = 20261215;
const ROUNDS = 3;
const CONCURRENCY = 4;

let server: DatabaseServer | undefined;
after(async () => {
  await server?.stop();
});

test(`VTEX fault campaign, seed ${SEED}: moneygraph never moves money and raises every return VTEX did not refund`, { timeout: 240_000 }, async () => {
  server = await ensureDatabaseServer(process.env.MG_TEST_SERVER_URL || process.env.DATABASE_URL);
  const s = await runVtexCampaign({
    seed: SEED,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    serverUrl: server.url,
    outDir: path.resolve(__dirname, '..', '..', '..', '.data', 'campaign-test', `vtex-${SEED}-${Date.now()}`),
    log: (l) => console.log(`[vtex ${SEED}] ${l}`),
  });
  console.log(report(s));
  assert.ok(s.operations > 30, `the campaign ran too few operations (${s.operations})`);
  assert.ok((s.operationsByKind['vtex.returnInvoice (forgotten by VTEX)'] ?? 0) > 0, 'no return was forgotten by VTEX: the exception invariant was not exercised');
  assert.ok(
    (s.operationsByKind['gql.refundInvoice (must be refused)'] ?? 0) + (s.operationsByKind['gql.creditPaymentMethod (must be refused)'] ?? 0) > 0,
    'no refund was attempted',
  );
  assert.equal(s.unexpectedExits, 0, `the service died other than by a fault point (see ${s.serviceLog})`);
  const list = s.violations.map((v) => `  [${v.invariant}] seed ${v.seed} round ${v.round} order ${v.orderId}: ${v.detail}\n    replay: ${v.replay}`);
  assert.equal(s.violations.length, 0, `${s.violations.length} violation(s):\n${list.join('\n')}`);
});
