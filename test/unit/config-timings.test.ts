/** loadConfig refuses leases and claims shorter than the work they protect (REFUND_LEASE_MS, OUTBOX_CLAIM_MS). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

const env = (e: Record<string, string> = {}) => ({ NODE_ENV: 'test', ...e });

test('REFUND_LEASE_MS shorter than two worst-case PSP calls stops the service with the minimum and its derivation', () => {
  // Defaults: UPSTREAM_TIMEOUT_MS 5000, UPSTREAM_RETRIES 2 → one call at worst 5000 × 3 + 1000 × 2 = 17000 ms; two calls 34000 ms.
  assert.throws(
    () => loadConfig(env({ REFUND_LEASE_MS: '33999' })),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^REFUND_LEASE_MS must be at least 34000 ms \(is 33999\)/);
      assert.match(err.message, /createRefund, then findRefund/);
      assert.match(err.message, /UPSTREAM_TIMEOUT_MS × \(UPSTREAM_RETRIES \+ 1\) \+ 1000 ms backoff × UPSTREAM_RETRIES = 5000 × 3 \+ 1000 × 2 = 17000 ms/);
      return true;
    },
  );
  assert.equal(loadConfig(env({ REFUND_LEASE_MS: '34000' })).refunds.leaseMs, 34000);
  // The bound follows the upstream settings.
  assert.throws(() => loadConfig(env({ UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '0', REFUND_LEASE_MS: '1999' })), /at least 2000 ms/);
  assert.equal(loadConfig(env({ UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '0', REFUND_LEASE_MS: '2000' })).refunds.leaseMs, 2000);
});

test('REFUND_LEASE_MS defaults to 60000, raised to the minimum when slow upstreams need more', () => {
  assert.equal(loadConfig(env()).refunds.leaseMs, 60_000);
  // 15000 × 3 + 2000 = 47000 per call, 94000 for two.
  assert.equal(loadConfig(env({ UPSTREAM_TIMEOUT_MS: '15000' })).refunds.leaseMs, 94_000);
});

test('OUTBOX_CLAIM_MS: default max(60000, 6 × UPSTREAM_TIMEOUT_MS); shorter than the longest handler stops the service', () => {
  assert.equal(loadConfig(env()).outbox.claimMs, 60_000);
  assert.equal(loadConfig(env({ UPSTREAM_TIMEOUT_MS: '20000' })).outbox.claimMs, 120_000);
  // Defaults: max(3 × 5000, 5000 × 3 + 1000 × 2) = 17000 ms.
  assert.throws(
    () => loadConfig(env({ OUTBOX_CLAIM_MS: '16999' })),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /^OUTBOX_CLAIM_MS must be at least 17000 ms \(is 16999\)/);
      assert.match(err.message, /3 × UPSTREAM_TIMEOUT_MS = 15000 ms/);
      return true;
    },
  );
  assert.equal(loadConfig(env({ OUTBOX_CLAIM_MS: '17000' })).outbox.claimMs, 17_000);
  // Without retries erp.post's three calls are the longest handler.
  assert.throws(() => loadConfig(env({ UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '0', OUTBOX_CLAIM_MS: '2999' })), /at least 3000 ms/);
  assert.equal(loadConfig(env({ UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '0', OUTBOX_CLAIM_MS: '3000' })).outbox.claimMs, 3000);
});
