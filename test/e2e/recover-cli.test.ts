import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder, returnInvoice } from '../support/drive';
import { pspFaults, pspRefunds, refundInvoice, rows } from '../support/refunds';

const run = promisify(execFile);
let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { AUTO_REFUND_INPUT_INVOICES: 'false', UPSTREAM_RETRIES: '0' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

test('npm run recover drives a stale refund to its outcome with its key and says what it did', async () => {
  const o = await paidOrder(t.sims);
  const inv = await returnInvoice(t.sims, o.orderId, '1000');
  await pspFaults(t, { faultsOnly: 'POST /refunds', failNext: 1 });
  const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
  assert.equal(p.refund.status, 'SUBMITTED');
  const script = path.resolve(__dirname, '..', '..', 'scripts', 'recover.js');
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: t.db.url,
    PSP_BASE_URL: t.sims.urls.psp,
    OMS_BASE_URL: t.sims.urls.oms,
    ERP_BASE_URL: t.sims.urls.erp,
  };
  const out = await run(process.execPath, [script, '--order', o.orderId], { env });
  assert.match(out.stdout, new RegExp(`${p.refund.id}  order ${o.orderId}  10.00 EUR  SUBMITTED → SUCCEEDED  key ${p.refund.merchantTransactionId}  attempts 2`));
  assert.match(out.stdout, /1 refund\(s\) recovered, 0 still in flight/);
  assert.equal((await rows(t, 'SELECT status FROM refund WHERE id = ?', [p.refund.id]))[0].status, 'SUCCEEDED');
  assert.deepEqual(
    pspRefunds(t, o.orderId).map((r) => r.merchantTransactionId),
    [p.refund.merchantTransactionId],
  );
  const again = await run(process.execPath, [script, '--json'], { env });
  assert.equal(JSON.parse(again.stdout).recovered.length, 0);
  await assert.rejects(run(process.execPath, [script, '--bogus'], { env }), (e: { code?: number }) => e.code === 3);
});

test('on a terminal, npm run recover shows its progress on stderr and reaches 100%', async () => {
  const o = await paidOrder(t.sims);
  const inv = await returnInvoice(t.sims, o.orderId, '1000');
  await pspFaults(t, { faultsOnly: 'POST /refunds', failNext: 1 });
  const p = (await refundInvoice(t, { orderId: o.orderId, invoiceId: inv })).data.refundInvoice;
  assert.equal(p.refund.status, 'SUBMITTED');
  const scriptJs = path.resolve(__dirname, '..', '..', 'scripts', 'recover.js');
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: t.db.url,
    PSP_BASE_URL: t.sims.urls.psp,
    OMS_BASE_URL: t.sims.urls.oms,
    ERP_BASE_URL: t.sims.urls.erp,
  };
  // util-linux `script` gives the command a pseudo-terminal, as an operator's shell would.
  const out = await run('script', ['-qec', `${process.execPath} ${scriptJs} --order ${o.orderId}`, '/dev/null'], { env });
  assert.match(out.stdout, /recovering .* 100% \| 1\/1 refunds/);
  assert.match(out.stdout, /1 refund\(s\) recovered, 0 still in flight/);
});
