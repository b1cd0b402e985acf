/**
 * Stripe's SDK calls guarded like every upstream call: each attempt has the timeout, a dead or
 * hanging Stripe opens the instance's circuit breaker (after which no request reaches Stripe until
 * the half-open trial), and every attempt and refusal shows in /metrics under system psp:<id>.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { PspPort } from '../../src/systems/psp';
import { UpstreamError } from '../../src/shared/http-client';
import { stopTestServer } from '../support/test-app';
import { startHarness, type Harness } from './psp-fixtures';

let h: Harness;
let stripe: PspPort;
before(async () => {
  h = await startHarness({
    AUTO_REFUND_INPUT_INVOICES: 'false',
    UPSTREAM_TIMEOUT_MS: '2000',
    UPSTREAM_RETRIES: '1',
    UPSTREAM_BREAKER_THRESHOLD: '3',
    UPSTREAM_BREAKER_HALF_OPEN_MS: '1500',
  });
  stripe = h.t.app.services.connectors.pspAdapters.get('stripe')!;
});
after(async () => {
  await h?.close();
  await stopTestServer();
});

/** The sample of a metric with exactly these labels, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.keys(labels).length === Object.keys(got).length && Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}
const scrape = async () => (await h.t.http.get('/metrics')).text;
const count = (text: string, method: string, outcome: string) => sample(text, 'moneygraph_upstream_request_duration_seconds_count', { system: 'psp:stripe', method, outcome }) ?? 0;
const state = (text: string, s: string) => sample(text, 'moneygraph_upstream_circuit_state', { system: 'psp:stripe', state: s });

test('each SDK call is one observed attempt under psp:stripe, and the circuit starts closed', async () => {
  const pi = await h.stripe.pay({ amount: 4000, currency: 'eur' });
  const before = await scrape();
  const key = randomUUID();
  const r = await stripe.createRefund(h.ctx, { paymentId: pi.id, amountMinor: 500n, currency: 'EUR', merchantTransactionId: key, reason: 'RETURN' });
  assert.equal(r.kind, 'succeeded');
  assert.equal(h.stripe.requests.filter((q) => q.method === 'POST' && q.idempotencyKey === key).length, 1, 'one request reached Stripe');
  const text = await scrape();
  assert.equal(count(text, 'POST', 'ok') - count(before, 'POST', 'ok'), 1);
  assert.equal(state(text, 'closed'), 1);
  assert.equal(state(text, 'open'), 0);
});

test('a Stripe that stops answering: timeouts, retried once each, open the breaker; then calls fail at once without a request, and a refund is an unknown outcome', async () => {
  const pi = await h.stripe.pay({ amount: 4000, currency: 'eur' });
  const before = await scrape();
  h.stripe.faults.stallNext = 100;
  try {
    // Two reads of 2 attempts each (UPSTREAM_RETRIES=1): the third timeout opens the circuit during the second read.
    await assert.rejects(stripe.getRefund(h.ctx, 're_missing'), (e: unknown) => e instanceof UpstreamError && e.kind === 'timeout');
    await assert.rejects(stripe.getRefund(h.ctx, 're_missing'), UpstreamError);
    const sent = h.stripe.requests.length;
    const r = await stripe.createRefund(h.ctx, { paymentId: pi.id, amountMinor: 500n, currency: 'EUR', merchantTransactionId: randomUUID(), reason: 'RETURN' });
    assert.equal(r.kind, 'unknown');
    assert.match(r.kind === 'unknown' ? r.reason : '', /circuit open/);
    assert.equal(h.stripe.requests.length, sent, 'the open circuit sent nothing to Stripe');
    const text = await scrape();
    assert.equal(count(text, 'GET', 'timeout') - count(before, 'GET', 'timeout'), 3, 'every attempt is observed, retries included');
    assert.equal(count(text, 'GET', 'circuit_open') - count(before, 'GET', 'circuit_open'), 1);
    assert.equal(count(text, 'POST', 'circuit_open') - count(before, 'POST', 'circuit_open'), 1);
    assert.equal(state(text, 'open'), 1);
    assert.equal(state(text, 'closed'), 0);
  } finally {
    h.stripe.faults.stallNext = 0;
  }
  // After the half-open delay one trial goes through; Stripe answers again and the circuit closes.
  await new Promise((r) => setTimeout(r, 1600));
  const again = await stripe.lookupRefund(h.ctx, randomUUID(), pi.id);
  assert.equal(again.state, 'absent');
  assert.equal(state(await scrape(), 'closed'), 1);
});

test('5xx from Stripe count towards the breaker like timeouts; 4xx answers do not', async () => {
  const before = await scrape();
  h.stripe.faults.failNext = 2;
  try {
    // One read, two attempts, both 500.
    await assert.rejects(stripe.getRefund(h.ctx, 're_missing'), (e: unknown) => e instanceof UpstreamError && e.status === 500);
  } finally {
    h.stripe.faults.failNext = 0;
  }
  // A 404 is an answer: null, and it resets the consecutive count.
  assert.equal(await stripe.getRefund(h.ctx, 're_missing'), null);
  const text = await scrape();
  assert.equal(count(text, 'GET', 'http_5xx') - count(before, 'GET', 'http_5xx'), 2);
  assert.equal(count(text, 'GET', 'http_4xx') - count(before, 'GET', 'http_4xx'), 1);
  assert.equal(state(text, 'closed'), 1);
});
