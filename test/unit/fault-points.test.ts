import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig, parseFaultPoints } from '../../src/config';
import { faultPoint, faultPointHits } from '../../src/shared/fault-points';

describe('TEST_FAULT_POINTS', () => {
  test('parses name=action#N entries, several per point allowed', () => {
    assert.deepEqual(parseFaultPoints('refund.outcome=crash#3, webhook.apply=dberror#1,refund.outcome=dberror#1'), [
      { point: 'refund.outcome', action: 'crash', hit: 3 },
      { point: 'webhook.apply', action: 'dberror', hit: 1 },
      { point: 'refund.outcome', action: 'dberror', hit: 1 },
    ]);
    assert.deepEqual(parseFaultPoints(''), []);
    assert.deepEqual(parseFaultPoints(undefined), []);
    assert.deepEqual(parseFaultPoints('outbox.handled=crash#1'), [{ point: 'outbox.handled', action: 'crash', hit: 1 }]);
  });

  test('refuses malformed entries, unknown points and actions, a hit below 1', () => {
    for (const bad of [
      'refund.outcome',
      'refund.outcome=crash',
      'refund.outcome=crash#0',
      'refund.outcome=crash#-1',
      'refund.outcome=explode#1',
      'no.such.point=crash#1',
      'refund.outcome=crash#1x',
    ]) {
      assert.throws(() => parseFaultPoints(bad), ConfigError, bad);
    }
  });

  test('dberror only at points inside a transaction', () => {
    for (const p of ['refund.psp-answered', 'webhook.stored', 'outbox.handled']) {
      assert.throws(() => parseFaultPoints(`${p}=dberror#1`), /outside a transaction/);
      assert.equal(parseFaultPoints(`${p}=crash#1`).length, 1);
    }
    for (const p of ['refund.intent', 'refund.outcome', 'webhook.apply', 'outbox.claim']) assert.equal(parseFaultPoints(`${p}=dberror#2`).length, 1);
  });

  test('is refused outside NODE_ENV=test', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'development', TEST_FAULT_POINTS: 'refund.outcome=crash#1' }), /NODE_ENV=test/);
    assert.throws(() => loadConfig({ TEST_FAULT_POINTS: 'refund.outcome=crash#1' }), ConfigError);
    assert.equal(loadConfig({ NODE_ENV: 'test', TEST_FAULT_POINTS: 'refund.outcome=crash#1' }).faultPoints.length, 1);
    assert.deepEqual(
      loadConfig({
        NODE_ENV: 'production',
        API_KEYS: 'a-long-enough-key=ADMIN:x',
        WEBHOOK_SECRET_OMS: 'x'.repeat(16),
        WEBHOOK_SECRET_PSP: 'y'.repeat(16),
        WEBHOOK_SECRET_ERP: 'z'.repeat(16),
      }).faultPoints,
      [],
    );
  });
});

describe('faultPoint', () => {
  test('dberror runs a failing statement in the given transaction, on the N-th hit only', async () => {
    const config = loadConfig({ NODE_ENV: 'test', TEST_FAULT_POINTS: 'outbox.claim=dberror#2' });
    const sent: string[] = [];
    const tx = {
      manager: {
        query: async (sql: string) => {
          sent.push(sql);
          throw new Error(`Table 'x.injected_fault_no_such_table' doesn't exist`);
        },
      },
    };
    const before = faultPointHits('outbox.claim');
    await faultPoint({ config }, 'outbox.claim', tx);
    await assert.rejects(faultPoint({ app: { config } }, 'outbox.claim', tx), /injected_fault_no_such_table/);
    await faultPoint(config, 'outbox.claim', tx);
    assert.equal(faultPointHits('outbox.claim'), before + 3);
    assert.deepEqual(sent, ['SELECT 1 FROM injected_fault_no_such_table']);
  });

  test('without rules it does nothing', async () => {
    await faultPoint(loadConfig({ NODE_ENV: 'test' }), 'refund.outcome');
  });

  test('crash is a real SIGKILL of the process', () => {
    const mod = path.resolve(__dirname, '../../src/shared/fault-points.js');
    const cfg = path.resolve(__dirname, '../../src/config/index.js');
    const script = `const { faultPoint } = require(${JSON.stringify(mod)}); const { loadConfig } = require(${JSON.stringify(cfg)});
      const c = loadConfig({ NODE_ENV: 'test', TEST_FAULT_POINTS: 'webhook.stored=crash#2' });
      (async () => { await faultPoint(c, 'webhook.stored'); console.log('first hit passed'); process.on('exit', () => console.log('exit handler ran'));
        await faultPoint(c, 'webhook.stored'); console.log('not reached'); })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.signal, 'SIGKILL');
    assert.equal(r.stdout.trim(), 'first hit passed');
  });
});
