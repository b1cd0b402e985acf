/**
 * The OMS adapters under contract, each with its simulator: the in-house adapter against the
 * in-house OMS simulator (signed full-record webhooks), and the VTEX adapter (OMS=vtex) against
 * the VTEX simulator (thin Orders Hook notifications, orders read back, AppKey/AppToken).
 */
import { RequestContext } from '../../src/db/context';
import { createVtexSimulator, type Served, type VtexSimulator } from '../../src/simulators';
import type { OmsPort } from '../../src/systems/oms';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { createTestApp, type TestApp } from '../support/test-app';

export const VTEX_HOOK_HEADER = 'x-moneygraph-hook-secret';
export const VTEX_HOOK_SECRET = 'vtex-hook-secret-0123456789abcdef';

export interface OmsHarness {
  t: TestApp;
  ctx: RequestContext;
  port: OmsPort;
  /** A paid order with its sale invoice, in minor units of EUR; resolves to its id. */
  createOrder(totalMinor: number): Promise<string>;
  /** A return invoice of the order; resolves to its number. */
  returnInvoice(orderId: string, amountMinor: number): Promise<string>;
  /** Any change that gives the order a newer record in the OMS. */
  changeOrder(orderId: string): Promise<void>;
  /** A delivery of an order change without the OMS's credentials; resolves to the HTTP status moneygraph answers. */
  forgedDelivery(orderId: string): Promise<number>;
  close(): Promise<void>;
}

export interface OmsFixture {
  name: 'inhouse' | 'vtex';
  start(env?: Record<string, string>): Promise<OmsHarness>;
}

const inhouse: OmsFixture = {
  name: 'inhouse',
  async start(env = {}) {
    const t = await createTestApp({ env });
    return {
      t,
      ctx: RequestContext.system(t.app.services, 'oms-contract'),
      port: t.app.services.connectors.oms,
      createOrder: async (total) => (await paidOrder(t.sims, { total: String(total) })).orderId,
      returnInvoice: (orderId, amount) => returnInvoice(t.sims, orderId, String(amount)),
      changeOrder: async (orderId) => void (await call(t.sims.urls.oms, 'PATCH', `/orders/${orderId}`, { status: 'SHIPPED' })),
      async forgedDelivery(orderId) {
        const body = JSON.stringify({ id: `forged-${orderId}`, type: 'order.upserted', data: { order: { id: orderId } } });
        const res = await fetch(`${t.url}/webhooks/oms`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': 'sha256=00' }, body });
        return res.status;
      },
      close: () => t.close(),
    };
  },
};

export interface VtexHarness extends OmsHarness {
  vtex: VtexSimulator;
}

export async function startVtex(env: Record<string, string> = {}): Promise<VtexHarness> {
  const vtex = createVtexSimulator();
  const served: Served = await vtex.start();
  const t = await createTestApp({
    env: {
      OMS: 'vtex',
      OMS_VTEX_ACCOUNT: vtex.account,
      OMS_VTEX_APP_KEY: vtex.appKey,
      OMS_VTEX_APP_TOKEN: vtex.appToken,
      OMS_VTEX_API_URL: served.url,
      OMS_VTEX_PAYMENTS_URL: served.url,
      OMS_VTEX_HOOK_SECRET: VTEX_HOOK_SECRET,
      OMS_VTEX_FEED_POLL_MS: '0',
      ...env,
    },
  });
  vtex.hook.configure({ url: `${t.url}/webhooks/oms/vtex`, headers: { [VTEX_HOOK_HEADER]: VTEX_HOOK_SECRET } });
  let seq = 0;
  return {
    t,
    vtex,
    ctx: RequestContext.system(t.app.services, 'oms-contract'),
    port: t.app.services.connectors.oms,
    async createOrder(total) {
      const o = await vtex.createOrder({ value: total, currency: 'EUR' });
      await vtex.invoice(o.orderId, { type: 'Output', invoiceNumber: `NF-${o.orderId}-${++seq}`, invoiceValue: total });
      return o.orderId;
    },
    async returnInvoice(orderId, amount) {
      const number = `RET-${orderId}-${++seq}`;
      await vtex.invoice(orderId, { type: 'Input', invoiceNumber: number, invoiceValue: amount });
      return number;
    },
    async changeOrder(orderId) {
      await vtex.invoice(orderId, { type: 'Output', invoiceNumber: `NF-${orderId}-${++seq}`, invoiceValue: 1 });
    },
    async forgedDelivery(orderId) {
      const body = JSON.stringify({
        Domain: 'Fulfillment',
        OrderId: orderId,
        State: 'invoiced',
        LastState: 'handling',
        LastChange: null,
        CurrentChange: new Date().toISOString(),
        Origin: { Account: vtex.account, Key: vtex.appKey },
      });
      const res = await fetch(`${t.url}/webhooks/oms/vtex`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return res.status;
    },
    async close() {
      await t.close();
      await served.close();
    },
  };
}

export const OMS_FIXTURES: OmsFixture[] = [inhouse, { name: 'vtex', start: startVtex }];

/** Waits for a condition the service reaches asynchronously (a deferred webhook apply); throws after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
