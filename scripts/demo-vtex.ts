/**
 * The demo with `OMS=vtex`: a VTEX simulator in place of the store's VTEX account (unless
 * OMS_VTEX_API_URL names a real one), its Orders Hook pointed at the service, and a few VTEX
 * orders: one returned and refunded by VTEX itself, one returned and "forgotten" by VTEX (raised
 * as an exception, never paid by moneygraph).
 */
import { createVtexSimulator, type Served, type VtexSimulator } from '../src/simulators';

const DEMO_HOOK_SECRET = 'vtex-demo-hook-secret-0123456789';

export interface DemoVtex {
  env: NodeJS.ProcessEnv;
  sim: VtexSimulator | null;
  served: Served | null;
  setServiceUrl(url: string): void;
  close(): Promise<void>;
}

export async function startDemoVtex(env: NodeJS.ProcessEnv): Promise<DemoVtex> {
  const out: NodeJS.ProcessEnv = { ...env };
  if (out.OMS?.trim() !== 'vtex' || out.OMS_VTEX_API_URL) return { env: out, sim: null, served: null, setServiceUrl: () => undefined, close: async () => undefined };
  const sim = createVtexSimulator({ account: out.OMS_VTEX_ACCOUNT?.trim() || undefined });
  const served = await sim.start();
  out.OMS_VTEX_ACCOUNT = sim.account;
  out.OMS_VTEX_APP_KEY = sim.appKey;
  out.OMS_VTEX_APP_TOKEN = sim.appToken;
  out.OMS_VTEX_API_URL = served.url;
  out.OMS_VTEX_PAYMENTS_URL = served.url;
  out.OMS_VTEX_HOOK_SECRET ??= DEMO_HOOK_SECRET;
  // Returns are due at once in the demo, so the forgotten one is on the exceptions list straight away.
  out.INPUT_INVOICE_REFUND_GRACE_SECONDS ??= '0';
  const header = out.OMS_VTEX_HOOK_HEADER?.trim().toLowerCase() || 'x-moneygraph-hook-secret';
  return {
    env: out,
    sim,
    served,
    setServiceUrl: (url) => sim.hook.configure({ url: `${url}/webhooks/oms/vtex`, headers: { [header]: out.OMS_VTEX_HOOK_SECRET! } }),
    close: () => served.close(),
  };
}

/** Three VTEX orders, invoiced; the first returned in part and refunded by VTEX, the second returned and not refunded by VTEX. */
export async function seedVtexDemo(sim: VtexSimulator): Promise<{ orders: string[]; refundedByVtex: string; forgottenByVtex: string }> {
  const orders: string[] = [];
  for (let i = 0; i < 3; i++) {
    const value = 5900 + i * 1000;
    const o = await sim.createOrder({ value, currency: 'EUR', customerId: `vtex-customer-${i + 1}` });
    await sim.invoice(o.orderId, { type: 'Output', invoiceNumber: `NF-${o.orderId}`, invoiceValue: value });
    orders.push(o.orderId);
  }
  await sim.invoice(orders[0]!, { type: 'Input', invoiceNumber: `RET-${orders[0]}`, invoiceValue: 1900 });
  sim.faults.forgetRefundNext = 1;
  await sim.invoice(orders[1]!, { type: 'Input', invoiceNumber: `RET-${orders[1]}`, invoiceValue: 2500 });
  return { orders, refundedByVtex: orders[0]!, forgottenByVtex: orders[1]! };
}
