/** OMS=inhouse|vtex: which OMS adapter runs, with which settings, and what is refused. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

const vtex = {
  OMS: 'vtex',
  OMS_VTEX_ACCOUNT: 'mystore',
  OMS_VTEX_APP_KEY: 'vtexappkey-mystore-ABC',
  OMS_VTEX_APP_TOKEN: 'TOKEN',
  OMS_VTEX_HOOK_SECRET: 'a-hook-secret-of-16+chars',
};

describe('OMS adapter configuration', () => {
  test('unset: the in-house OMS', () => {
    assert.deepEqual(loadConfig({}).omsAdapter, { kind: 'inhouse' });
  });

  test("OMS=vtex: the account's VTEX URLs, the hook header, the feed and throttle defaults", () => {
    assert.deepEqual(loadConfig(vtex).omsAdapter, {
      kind: 'vtex',
      account: 'mystore',
      appKey: 'vtexappkey-mystore-ABC',
      appToken: 'TOKEN',
      apiUrl: 'https://mystore.vtexcommercestable.com.br',
      paymentsUrl: 'https://mystore.vtexpayments.com.br',
      hookHeaderName: 'x-moneygraph-hook-secret',
      hookHeaderValue: 'a-hook-secret-of-16+chars',
      feedPollMs: 60_000,
      maxThrottleWaitMs: 10_000,
    });
    const custom = loadConfig({ ...vtex, OMS_VTEX_API_URL: 'http://127.0.0.1:9000/', OMS_VTEX_HOOK_HEADER: 'X-Hook-Token', OMS_VTEX_FEED_POLL_MS: '0' }).omsAdapter;
    assert.ok(custom.kind === 'vtex');
    assert.deepEqual([custom.apiUrl, custom.hookHeaderName, custom.feedPollMs], ['http://127.0.0.1:9000', 'x-hook-token', 0]);
  });

  test('refused: an unknown kind, a missing credential, a short hook secret, a bad URL', () => {
    assert.throws(
      () => loadConfig({ OMS: 'shopify' }),
      (e: unknown) => e instanceof ConfigError && /OMS is "shopify"; expected one of inhouse, vtex/.test(e.message),
    );
    for (const missing of ['OMS_VTEX_ACCOUNT', 'OMS_VTEX_APP_KEY', 'OMS_VTEX_APP_TOKEN', 'OMS_VTEX_HOOK_SECRET'] as const) {
      const env: Record<string, string> = { ...vtex };
      delete env[missing];
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && e.message.startsWith(`${missing} must be set for OMS=vtex`),
        missing,
      );
    }
    assert.throws(() => loadConfig({ ...vtex, OMS_VTEX_HOOK_SECRET: 'short' }), /at least 16 characters/);
    assert.throws(() => loadConfig({ ...vtex, OMS_VTEX_PAYMENTS_URL: 'ftp://x' }), /OMS_VTEX_PAYMENTS_URL must be an http\(s\) URL/);
  });
});
