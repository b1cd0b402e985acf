/** PSP_ADAPTERS / PSP: which adapter instances run, with which settings, and what is refused. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { canonicalVendorError } from '../../src/systems/psp/psp-errors';
import { ErrorCode } from '../../src/shared/errors';

const stripe = { PSP_STRIPE_SECRET_KEY: 'sk_test_x', PSP_STRIPE_WEBHOOK_SECRETS: 'whsec_new, whsec_old' };

describe('PSP adapter configuration', () => {
  test('unset: one in-house instance, which calls PSP_BASE_URL', () => {
    assert.deepEqual(loadConfig({}).pspAdapters, [{ id: 'inhouse', kind: 'inhouse', baseUrl: undefined }]);
  });

  test('PSP=stripe: one Stripe instance with its key, both secrets while rolling, the default tolerance', () => {
    assert.deepEqual(loadConfig({ PSP: 'stripe', ...stripe }).pspAdapters, [
      { id: 'stripe', kind: 'stripe', secretKey: 'sk_test_x', webhookSecrets: ['whsec_new', 'whsec_old'], apiUrl: undefined, webhookToleranceSeconds: 300 },
    ]);
  });

  test('PSP_ADAPTERS: instances side by side in order, each with its own PSP_<ID>_* settings', () => {
    const cfg = loadConfig({
      PSP_ADAPTERS: 'stripe_eu=stripe, inhouse=inhouse',
      PSP_STRIPE_EU_SECRET_KEY: 'sk_live_eu',
      PSP_STRIPE_EU_WEBHOOK_SECRETS: 'whsec_eu',
      PSP_STRIPE_EU_API_URL: 'http://127.0.0.1:12111',
      PSP_STRIPE_EU_WEBHOOK_TOLERANCE_SECONDS: '60',
      PSP_INHOUSE_BASE_URL: 'http://psp.internal',
    });
    assert.deepEqual(
      cfg.pspAdapters.map((a) => [a.id, a.kind]),
      [
        ['stripe_eu', 'stripe'],
        ['inhouse', 'inhouse'],
      ],
    );
    const eu = cfg.pspAdapters[0]!;
    assert.ok(eu.kind === 'stripe' && eu.apiUrl === 'http://127.0.0.1:12111' && eu.webhookToleranceSeconds === 60 && eu.secretKey === 'sk_live_eu');
    const ih = cfg.pspAdapters[1]!;
    assert.ok(ih.kind === 'inhouse' && ih.baseUrl === 'http://psp.internal');
  });

  for (const [name, env, message] of [
    ['both PSP and PSP_ADAPTERS', { PSP: 'stripe', PSP_ADAPTERS: 'inhouse=inhouse' }, /not both/],
    ['an unknown kind', { PSP_ADAPTERS: 'x=adyen' }, /kind "adyen"/],
    ['a bad id', { PSP_ADAPTERS: 'Stripe-1=stripe' }, /must be lower-case/],
    ['an id twice', { PSP_ADAPTERS: 'a=inhouse,a=inhouse' }, /configured twice/],
    ['a Stripe instance without its key', { PSP: 'stripe', PSP_STRIPE_WEBHOOK_SECRETS: 'whsec_x' }, /PSP_STRIPE_SECRET_KEY must be set/],
    ['a Stripe instance without a signing secret', { PSP: 'stripe', PSP_STRIPE_SECRET_KEY: 'sk_test_x' }, /PSP_STRIPE_WEBHOOK_SECRETS must hold/],
    ['a tolerance out of range', { PSP: 'stripe', ...stripe, PSP_STRIPE_WEBHOOK_TOLERANCE_SECONDS: '0' }, /1 to 3600/],
    ['an API URL that is not one', { PSP: 'stripe', ...stripe, PSP_STRIPE_API_URL: 'localhost:1' }, /must be an http\(s\) URL/],
  ] as const) {
    test(`refused: ${name}`, () => {
      assert.throws(
        () => loadConfig(env as Record<string, string>),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
      );
    });
  }
});

describe("Stripe's codes through the one normalizer", () => {
  for (const [code, expected] of [
    ['amount_too_large', ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
    ['charge_already_refunded', ErrorCode.PAYMENT_ALREADY_REFUNDED],
    ['charge_disputed', ErrorCode.PAYMENT_DISPUTED],
    ['payment_intent_unexpected_state', ErrorCode.PAYMENT_NOT_CAPTURED],
    ['resource_missing', ErrorCode.PAYMENT_NOT_REFUNDABLE],
    ['something_new', ErrorCode.PSP_REJECTED],
  ] as const) {
    test(`${code} → ${expected}`, () => assert.equal(canonicalVendorError(code, 'any Stripe message'), expected));
  }
});
