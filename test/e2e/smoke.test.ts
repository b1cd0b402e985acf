import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder } from '../support/drive';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(async () => { await t?.close(); await stopTestServer(); });

test('an order created through the simulators is visible by GraphQL', async () => {
  const o = await paidOrder(t.sims);
  const r = await t.gql('SUPPORT', `query($id: ID!) { order(id: $id) { id status total { amount currencyCode } invoices { id kind amount { amount } }
    payments { id status } captures { id amount { amount } } moneyState { captured { amount } outstanding { amount } } } }`, { id: o.orderId });
  console.log(JSON.stringify(r, null, 1));
  assert.equal(r.data.order.id, o.orderId);
});
