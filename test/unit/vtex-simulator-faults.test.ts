/**
 * The VTEX simulator's faults, as the fault campaign uses them: Orders Hook notifications dropped
 * (the Feed v3 still carries them), duplicated, held and flushed in reverse, retried until
 * answered 200; API calls answering 503 and doing nothing, or performed and answered late.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVtexSimulator, type Served } from '../../src/simulators';

const received: { orderId: string; currentChange: string }[] = [];
let answer = 200;
let hookServer: http.Server;
let hookUrl = '';
before(async () => {
  hookServer = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const n = JSON.parse(body);
      if (answer === 200) received.push({ orderId: n.OrderId, currentChange: n.CurrentChange });
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`;
});
after(() => new Promise<void>((r) => hookServer.close(() => r())));

function sim() {
  const s = createVtexSimulator({ hook: { url: hookUrl, headers: {} }, feedVisibilityMs: 50 });
  return s;
}
const changesOf = (orderId: string) => received.filter((r) => r.orderId === orderId).map((r) => r.currentChange);

test('a dropped notification is never posted to the hook, and the feed still carries it', async () => {
  const s = sim();
  s.hook.faults.dropNext = 1;
  const o = await s.createOrder({ orderId: 'drop-1', value: 1000 });
  assert.deepEqual(changesOf('drop-1'), []);
  assert.deepEqual(
    s.hook.dropped.map((n) => n.OrderId),
    ['drop-1'],
  );
  const feed = s.hook.readFeed(10).filter((f) => f.orderId === 'drop-1');
  assert.deepEqual(
    feed.map((f) => f.currentChange),
    [o.lastChange],
  );
  // The next change is posted again (dropNext counted down).
  await s.invoice('drop-1', { type: 'Output', invoiceNumber: 'NF-drop-1', invoiceValue: 1000 });
  assert.equal(changesOf('drop-1').length, 1);
});

test('duplicate posts every notification twice; held notifications are flushed newest first with reverse', async () => {
  const s = sim();
  s.hook.faults.duplicate = true;
  await s.createOrder({ orderId: 'dup-1', value: 1000 });
  const [a, b] = changesOf('dup-1');
  assert.ok(a && a === b, 'the same change twice');
  s.hook.faults.duplicate = false;
  s.hook.hold = true;
  s.hook.faults.reverse = true;
  await s.invoice('dup-1', { type: 'Output', invoiceNumber: 'NF-dup-1', invoiceValue: 1000 });
  await s.invoice('dup-1', { type: 'Input', invoiceNumber: 'RET-dup-1', invoiceValue: 500 });
  assert.equal(s.hook.held, 2);
  assert.equal(changesOf('dup-1').length, 2, 'nothing posted while held');
  assert.equal(await s.hook.flush(), 2);
  const [, , newer, older] = changesOf('dup-1');
  assert.ok(newer! > older!, 'the newer change arrived first');
});

test('a notification not answered 200 is posted again by retry()', async () => {
  const s = sim();
  answer = 503;
  await s.createOrder({ orderId: 'retry-1', value: 1000 });
  answer = 200;
  assert.equal(s.hook.unanswered, 1);
  assert.equal(await s.hook.retry(), 1);
  assert.equal(changesOf('retry-1').length, 1);
  assert.equal(s.hook.unanswered, 0);
  assert.deepEqual(
    s.hook.deliveries.filter((d) => d.orderId === 'retry-1').map((d) => [d.attempt, d.status]),
    [
      [1, 503],
      [2, 200],
    ],
  );
});

test('failNext answers 503 and does nothing; hangNext performs the call and answers after hangMs', async () => {
  const s = sim();
  const served: Served = await s.start();
  try {
    await s.createOrder({ orderId: 'api-1', value: 1000 });
    const headers = { 'x-vtex-api-appkey': s.appKey, 'x-vtex-api-apptoken': s.appToken, 'content-type': 'application/json' };
    s.faults.failNext = 1;
    const failed = await fetch(`${served.url}/api/oms/pvt/orders/api-1/invoice`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'Output', invoiceNumber: 'NF-api-1', invoiceValue: 1000 }),
    });
    assert.equal(failed.status, 503);
    assert.equal(s.orders.get('api-1')!.packages.length, 0, 'the failed call did nothing');
    s.faults.hangNext = 1;
    s.faults.hangMs = 300;
    const started = Date.now();
    const late = await fetch(`${served.url}/api/oms/pvt/orders/api-1/invoice`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'Output', invoiceNumber: 'NF-api-1', invoiceValue: 1000 }),
    });
    assert.equal(late.status, 200);
    assert.ok(Date.now() - started >= 280, 'answered late');
    assert.equal(s.orders.get('api-1')!.packages.length, 1, 'performed');
    const ok = await fetch(`${served.url}/api/oms/pvt/orders/api-1`, { headers });
    assert.equal(ok.status, 200, 'the faults were used up');
  } finally {
    await served.close();
  }
});
