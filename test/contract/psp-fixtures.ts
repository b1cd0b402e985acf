/**
 * The PSP adapters under contract, each with its simulator: one test app runs the in-house
 * adapter and a Stripe adapter side by side (PSP_ADAPTERS=inhouse=inhouse,stripe=stripe), the
 * Stripe one pointed at the Stripe simulator through the real SDK.
 */
import { randomUUID } from 'node:crypto';
import { createStripeSimulator, type StripeSimulator } from '../../src/simulators';
import type { Served } from '../../src/simulators';
import type { PspPort } from '../../src/systems/psp';
import { RequestContext } from '../../src/db/context';
import { sign } from '../../src/webhooks/webhook.service';
import { call, paidOrder } from '../support/drive';
import { createTestApp, type TestApp } from '../support/test-app';

const STRIPE_SECRETS = ['whsec_contract_current_0123456789', 'whsec_contract_previous_012345678'];

export interface Harness {
  t: TestApp;
  stripe: StripeSimulator;
  stripeServed: Served;
  ctx: RequestContext;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}, clock?: () => Date): Promise<Harness> {
  const stripe = createStripeSimulator({ webhookSecrets: [STRIPE_SECRETS[0]!], clock });
  const stripeServed = await stripe.start();
  const t = await createTestApp({
    env: {
      PSP_ADAPTERS: 'inhouse=inhouse,stripe=stripe',
      PSP_STRIPE_SECRET_KEY: 'sk_test_contract',
      PSP_STRIPE_WEBHOOK_SECRETS: STRIPE_SECRETS.join(','),
      PSP_STRIPE_API_URL: stripeServed.url,
      ...env,
    },
  });
  stripe.events.setTarget(`${t.url}/webhooks/psp/stripe`);
  return {
    t,
    stripe,
    stripeServed,
    ctx: RequestContext.system(t.app.services, 'contract'),
    async close() {
      await t.close();
      await stripeServed.close();
    },
  };
}

/** What the contract needs of an adapter's simulator, the same for every adapter. */
export interface Fixture {
  id: string;
  /** Whether the PSP's webhook signature carries its time (and so can expire). */
  timedSignatures: boolean;
  port(h: Harness): PspPort;
  /** A captured payment of `amount` minor units; its id is what a refund names. */
  pay(h: Harness, amount: bigint, currency: string): Promise<string>;
  dispute(h: Harness, paymentId: string): Promise<void>;
  /** How many refunds the PSP simulator holds under our key. */
  refundsUnderKey(h: Harness, merchantTransactionId: string): number;
  /** A delivery of a decided refund's event, as the PSP would sign it: well, with a wrong secret, or too long ago (null: the PSP's signature carries no time). */
  delivery(h: Harness, how: 'good' | 'bad' | 'expired'): { raw: Buffer; headers: Record<string, string> } | null;
}

const refundBody = () => ({ name: 'REFUND_SUCCEEDED', source: '', payload: { refundId: randomUUID(), merchantTransactionId: randomUUID(), amount: '100', currency: 'EUR' } });

export const FIXTURES: Fixture[] = [
  {
    id: 'inhouse',
    timedSignatures: false,
    port: (h) => h.t.app.services.connectors.pspAdapters.get('inhouse')!,
    pay: async (h, amount, currency) => (await paidOrder(h.t.sims, { total: amount.toString(), currency })).paymentId,
    dispute: async (h, paymentId) => void (await call(h.t.sims.urls.psp, 'POST', `/payments/${paymentId}/dispute`, { disputed: true })),
    refundsUnderKey: (h, key) => [...h.t.sims.psp.state.refunds.values()].filter((r) => r.merchantTransactionId === key).length,
    delivery: (h, how) => {
      if (how === 'expired') return null;
      const raw = Buffer.from(JSON.stringify(refundBody()));
      const secret = how === 'good' ? h.t.config.webhookSecrets.PSP : 'not-the-psp-secret-0123456789';
      return { raw, headers: { 'x-signature': sign(secret, raw), 'x-event-id': randomUUID() } };
    },
  },
  {
    id: 'stripe',
    timedSignatures: true,
    port: (h) => h.t.app.services.connectors.pspAdapters.get('stripe')!,
    pay: async (h, amount, currency) => (await h.stripe.pay({ amount: Number(amount), currency })).id,
    dispute: (h, paymentId) => h.stripe.dispute(paymentId),
    refundsUnderKey: (h, key) => [...h.stripe.refunds.values()].filter((r) => r.metadata?.merchantTransactionId === key).length,
    delivery: (h, how) => {
      const now = Math.floor(Date.now() / 1000);
      const refund = {
        id: `re_${randomUUID().slice(0, 8)}`,
        object: 'refund',
        amount: 100,
        currency: 'eur',
        status: 'succeeded',
        payment_intent: 'pi_x',
        metadata: {},
        created: now,
      };
      const payload = JSON.stringify({ id: `evt_${randomUUID().slice(0, 8)}`, object: 'event', type: 'refund.updated', created: now, data: { object: refund } });
      const header =
        how === 'good'
          ? h.stripe.events.header(payload, now, [STRIPE_SECRETS[0]!])
          : how === 'bad'
            ? h.stripe.events.header(payload, now, ['whsec_someone_else'])
            : h.stripe.events.header(payload, now - 3600, [STRIPE_SECRETS[0]!]);
      return { raw: Buffer.from(payload), headers: { 'stripe-signature': header } };
    },
  },
];
