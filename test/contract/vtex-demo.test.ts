/** The demo with OMS=vtex: a VTEX simulator in place of the store, and VTEX orders one of whose returns VTEX refunds and one it does not. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { seedVtexDemo, startDemoVtex } from '../../scripts/demo-vtex';
import { rows } from '../support/refunds';
import { stopTestServer } from '../support/test-app';
import { startVtex, until, type VtexHarness } from './oms-fixtures';

let h: VtexHarness;
before(async () => {
  h = await startVtex();
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

test('OMS=vtex in the demo: the VTEX adapter pointed at a VTEX simulator, with its credentials and hook secret', async () => {
  const demo = await startDemoVtex({ OMS: 'vtex' });
  try {
    const cfg = loadConfig(demo.env);
    assert.equal(cfg.omsAdapter.kind, 'vtex');
    assert.ok(cfg.omsAdapter.kind === 'vtex' && cfg.omsAdapter.apiUrl === demo.served?.url && cfg.omsAdapter.appKey === demo.sim?.appKey);
  } finally {
    await demo.close();
  }
  const none = await startDemoVtex({});
  assert.equal(none.sim, null, 'no simulator without OMS=vtex');
});

test('the VTEX demo orders: one return refunded by VTEX and recorded as such, one VTEX forgot, left unpaid', async () => {
  const seeded = await seedVtexDemo(h.vtex);
  assert.equal(seeded.orders.length, 3);
  const refunded = await until(
    'VTEX’s refund',
    async () => (await rows(h.t, "SELECT origin, CAST(amount_minor AS CHAR) a FROM refund WHERE order_id = ? AND status = 'SUCCEEDED'", [seeded.refundedByVtex]))[0],
  );
  assert.deepEqual([refunded.origin, refunded.a], ['PSP', '1900']);
  await until('the forgotten return', async () => (await rows(h.t, "SELECT id FROM oms_invoice WHERE order_id = ? AND kind = 'INPUT'", [seeded.forgottenByVtex]))[0]);
  assert.deepEqual(await rows(h.t, 'SELECT id FROM refund WHERE order_id = ?', [seeded.forgottenByVtex]), []);
});
