/**
 * The demo with `PSP=stripe` (or a Stripe instance in PSP_ADAPTERS): a Stripe simulator per
 * Stripe instance, driven by the real SDK, beside the in-house PSP that holds the rest of the
 * demo history; and a few orders paid through Stripe, one of them returned and refunded there.
 */
import { createStripeSimulator, type Served, type Simulators, type StripeSimulator } from '../src/simulators';

export const DEMO_STRIPE_KEY = 'sk_test_moneygraph_demo';
export const DEMO_STRIPE_SECRET = 'whsec_moneygraph_demo_signing_secret';

export interface DemoStripe {
  /** The environment to load the configuration from: the Stripe instances pointed at their simulators. */
  env: NodeJS.ProcessEnv;
  instances: { id: string; sim: StripeSimulator; served: Served }[];
  setServiceUrl(url: string): void;
  close(): Promise<void>;
}

/** Stripe instances asked for by PSP / PSP_ADAPTERS; `PSP=stripe` runs beside the in-house PSP of the demo history. */
export async function startDemoStripe(env: NodeJS.ProcessEnv): Promise<DemoStripe> {
  const out: NodeJS.ProcessEnv = { ...env };
  if (out.PSP?.trim() === 'stripe' && !out.PSP_ADAPTERS) {
    delete out.PSP;
    out.PSP_ADAPTERS = 'inhouse=inhouse,stripe=stripe';
  }
  const ids = (out.PSP_ADAPTERS ?? '')
    .split(',')
    .map((p) => p.split('=').map((s) => s.trim()))
    .filter(([, kind]) => kind === 'stripe')
    .map(([id]) => id!);
  const instances: DemoStripe['instances'] = [];
  for (const id of ids) {
    const key = (s: string) => `PSP_${id.toUpperCase()}_${s}`;
    out[key('SECRET_KEY')] ??= DEMO_STRIPE_KEY;
    out[key('WEBHOOK_SECRETS')] ??= DEMO_STRIPE_SECRET;
    if (out[key('API_URL')]) continue; // a real (test-mode) account: nothing to simulate
    const sim = createStripeSimulator({ webhookSecrets: [out[key('WEBHOOK_SECRETS')]!.split(',')[0]!.trim()] });
    const served = await sim.start();
    out[key('API_URL')] = served.url;
    instances.push({ id, sim, served });
  }
  return {
    env: out,
    instances,
    setServiceUrl: (url) => instances.forEach((i) => i.sim.events.setTarget(`${url}/webhooks/psp/${i.id}`)),
    close: async () => void (await Promise.all(instances.map((i) => i.served.close()))),
  };
}

/** Orders paid through Stripe: each has a sale invoice and a payment intent; the first is returned in part (refunded at Stripe by the automatic refund). */
export async function seedStripeDemo(sims: Simulators, stripe: StripeSimulator, count = 3): Promise<{ orders: string[]; returnedOrder: string }> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${sims.urls.oms}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`OMS ${path} → ${res.status}: ${await res.text()}`);
    return (await res.json()) as { id?: string; order?: { id: string } };
  };
  const orders: string[] = [];
  for (let i = 0; i < count; i++) {
    const total = 4200 + i * 1000;
    const o = await post('/orders', { currency: 'EUR', total: String(total), customerId: `cust-stripe-${i + 1}`, status: 'CONFIRMED' });
    const orderId = o.id ?? o.order!.id;
    await post(`/orders/${orderId}/invoices`, { kind: 'OUTPUT', amount: String(total) });
    await stripe.pay({ amount: total, currency: 'eur', orderId });
    orders.push(orderId);
  }
  await post(`/orders/${orders[0]}/invoices`, { kind: 'INPUT', amount: '1500' });
  return { orders, returnedOrder: orders[0]! };
}
