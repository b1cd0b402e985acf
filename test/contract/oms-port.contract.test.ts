/**
 * The OMS port's contract, run against every adapter with its simulator: the checklist an adapter
 * must pass (docs/connectors.md, "How to write an OMS adapter").
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { withTransaction, lockOrder } from '../../src/db/transaction';
import { applyOmsRecords } from '../../src/systems/oms';
import { stopTestServer } from '../support/test-app';
import { rows } from '../support/refunds';
import { OMS_FIXTURES, until, type OmsHarness } from './oms-fixtures';

after(async () => {
  await stopTestServer();
});

for (const f of OMS_FIXTURES) {
  describe(`OMS port contract: ${f.name}`, () => {
    let h: OmsHarness;
    before(async () => {
      h = await f.start();
    });
    after(async () => {
      await h?.close();
    });

    test('declares its capabilities', () => {
      const c = h.port.capabilities;
      assert.equal(h.port.kind, f.name);
      assert.equal(typeof c.keepsInvoiceData, 'boolean');
      assert.equal(typeof c.refundsReturnInvoicesItself, 'boolean');
      assert.ok(['push', 'notify-and-read'].includes(c.events));
      // An OMS that refunds by itself must not also be given a copy to keep: moneygraph never pays there.
      assert.ok(!(c.refundsReturnInvoicesItself && c.keepsInvoiceData));
    });

    test('reads an order back in canonical records: invoices mapped, amounts in minor units of the order currency', async () => {
      const orderId = await h.createOrder(12_345);
      const ret = await h.returnInvoice(orderId, 2_500);
      const r = await h.port.getOrder(h.ctx, orderId);
      assert.ok(r);
      assert.equal(r.order.id, orderId);
      assert.equal(r.order.currency, 'EUR');
      assert.equal(r.order.total, '12345');
      assert.match(String(r.order.version), /^\d+$/);
      const sale = r.invoices.find((i) => i.kind === 'OUTPUT');
      const input = r.invoices.find((i) => i.number === ret);
      assert.deepEqual([sale?.amount, sale?.currency], ['12345', 'EUR']);
      assert.deepEqual([input?.kind, input?.amount, input?.orderId], ['INPUT', '2500', orderId]);
      assert.equal(r.invoiceData === null, !h.port.capabilities.keepsInvoiceData, 'an OMS copy of invoiceData exactly when the OMS keeps one');
      assert.equal(await h.port.getOrder(h.ctx, 'order-nobody-knows-01'), null);
    });

    test('orders its records by version: an older record never overwrites a newer one', async () => {
      const orderId = await h.createOrder(5_000);
      const older = (await h.port.getOrder(h.ctx, orderId))!;
      await h.changeOrder(orderId);
      const newer = (await h.port.getOrder(h.ctx, orderId))!;
      assert.ok(BigInt(newer.order.version) > BigInt(older.order.version), 'the change gives the order a newer version');
      for (const r of [newer, older]) {
        await withTransaction(h.ctx, async (tx) => {
          await lockOrder(tx, orderId);
          await applyOmsRecords(tx, orderId, r);
        });
      }
      const [stored] = await rows(h.t, 'SELECT status, source_version FROM oms_order WHERE id = ?', [orderId]);
      assert.equal(String(stored.source_version), String(newer.order.version));
      assert.equal(stored.status, newer.order.status);
    });

    test('a delivery without the OMS credentials is refused and changes nothing', async () => {
      const status = await h.forgedDelivery('order-forged-01');
      assert.equal(status, 401);
      assert.deepEqual(await rows(h.t, 'SELECT id FROM oms_order WHERE id = ?', ['order-forged-01']), []);
    });

    test("ingests the OMS's events: an order and its return invoice reach the canonical records", async () => {
      const orderId = await h.createOrder(8_000);
      const ret = await h.returnInvoice(orderId, 3_000);
      const inv = await until('the return invoice', async () => (await rows(h.t, 'SELECT kind, amount_minor, currency FROM oms_invoice WHERE id = ?', [ret]))[0]);
      assert.deepEqual([inv.kind, String(inv.amount_minor), inv.currency], ['INPUT', '3000', 'EUR']);
      const [o] = await rows(h.t, 'SELECT total_minor, currency FROM oms_order WHERE id = ?', [orderId]);
      assert.deepEqual([String(o.total_minor), o.currency], ['8000', 'EUR']);
    });
  });
}
