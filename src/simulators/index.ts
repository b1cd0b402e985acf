// Owns the in-process OMS, PSP and ERP simulators: starting them, pointing their signed webhooks at the service, closing them.
// Demo data and all test traffic enter moneygraph through these simulators, never by writing to its database.
import { createErpSimulator } from './erp.simulator';
import { createOmsSimulator } from './oms.simulator';
import { createPspSimulator } from './psp.simulator';
import { createStripeSimulator } from './stripe.simulator';
import { createVtexSimulator } from './vtex.simulator';

/** @public */
export { createErpSimulator, createOmsSimulator, createPspSimulator, createStripeSimulator, createVtexSimulator };
export type { VtexSimulator } from './vtex.simulator';
export type { StripeSimulator } from './stripe.simulator';
export { WebhookSender, listen, type Delivery, type Served, type SimOptions, type WebhookFaults, type WebhookSource } from './http';

/** @public */
export type OmsSimulator = ReturnType<typeof createOmsSimulator>;
/** @public */
export type PspSimulator = ReturnType<typeof createPspSimulator>;
/** @public */
export type ErpSimulator = ReturnType<typeof createErpSimulator>;

export interface StartSimulatorsOptions {
  /** The service's base URL; may be given later with setServiceUrl (events queue until then). */
  serviceUrl?: string;
  secrets: { OMS: string; PSP: string; ERP: string };
  clock?: () => Date;
  ports?: { oms?: number; psp?: number; erp?: number };
}

export async function startSimulators(opts: StartSimulatorsOptions) {
  const common = { webhookUrl: opts.serviceUrl, clock: opts.clock };
  const oms = createOmsSimulator({ ...common, secret: opts.secrets.OMS });
  const psp = createPspSimulator({ ...common, secret: opts.secrets.PSP });
  const erp = createErpSimulator({ ...common, secret: opts.secrets.ERP });
  const served = await Promise.all([oms.start(opts.ports?.oms), psp.start(opts.ports?.psp), erp.start(opts.ports?.erp)]);
  const sims = [oms, psp, erp];
  return {
    oms,
    psp,
    erp,
    urls: { oms: served[0].url, psp: served[1].url, erp: served[2].url },
    setServiceUrl(url: string): void {
      for (const s of sims) s.webhooks.setTarget(url);
    },
    /** Sends what queued while there was no service URL (or in hold mode); OMS, then PSP, then ERP. */
    async flush(): Promise<number> {
      let sent = 0;
      for (const s of sims) sent += await s.webhooks.flush();
      return sent;
    },
    async close(): Promise<void> {
      await Promise.all(served.map((s) => s.close()));
    },
  };
}

export type Simulators = Awaited<ReturnType<typeof startSimulators>>;
