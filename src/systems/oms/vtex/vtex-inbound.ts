/**
 * How VTEX's order changes reach moneygraph: the Orders Hook (push) at `POST /webhooks/oms/vtex`
 * and the Feed v3 (pull) as its backup. Both store the thin notification in the webhook inbox
 * under one id per order change (`vtex:<orderId>:<currentChange>`, so the hook and the feed
 * dedupe), answer, and apply it after the answer: the order is read back and diffed
 * (`order.changed`). The hook is answered well within VTEX's 5 s; a feed item is committed only
 * once stored.
 */
import express, { Router } from 'express';
import { AppServices, RequestContext } from '../../../db/context';
import type { Metrics } from '../../../metrics';
import { PeriodicWorker } from '../../../shared/periodic-worker';
import { receiveVerifiedWebhook, WebhookSource } from '../../../webhooks';
import { VtexOmsAdapter } from './vtex-adapter';
import { verifyVtexHook } from './vtex-hook';

const eventOf = (orderId: string, state: string, currentChange: string) => ({
  id: `vtex:${orderId}:${currentChange}`,
  body: { type: 'order.changed', data: { orderId, state, currentChange } },
});

function adapterOf(app: AppServices): VtexOmsAdapter | null {
  const oms = app.connectors.oms;
  return oms instanceof VtexOmsAdapter ? oms : null;
}

export function vtexHookRouter(app: AppServices, metrics?: Metrics): Router {
  const router = Router();
  router.post('/webhooks/oms/vtex', express.raw({ type: () => true, limit: app.config.webhookMaxBytes }), async (req, res, next) => {
    try {
      const vtex = adapterOf(app);
      if (!vtex) return void res.status(404).json({ error: 'the VTEX OMS adapter is not configured (OMS=vtex)' });
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      const verdict = verifyVtexHook(vtex.config, raw, headers);
      if (verdict.kind === 'refused') {
        metrics?.webhooks.inc({ source: 'OMS', status: String(verdict.status) });
        return void res.status(verdict.status).json({ error: verdict.error });
      }
      if (verdict.kind === 'ping') return void res.status(200).json({ hookConfig: 'pong' });
      const { n } = verdict;
      const e = eventOf(n.OrderId, n.State, n.CurrentChange);
      const ctx = RequestContext.system(app, String(res.locals.requestId ?? ''));
      const out = await receiveVerifiedWebhook(ctx, WebhookSource.OMS, Buffer.from(JSON.stringify(e.body)), e.id, { defer: true });
      metrics?.webhooks.inc({ source: 'OMS', status: String(out.status) });
      const { status, ...body } = out;
      res.status(status).json(body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

export interface FeedRound {
  read: number;
  stored: number;
  committed: number;
}

/** One read of the Feed v3: every item stored in the inbox (a duplicate of a hook delivery is a replay), then committed by handle. */
export async function pullVtexFeed(app: AppServices, max = 10): Promise<FeedRound> {
  const vtex = adapterOf(app);
  if (!vtex) return { read: 0, stored: 0, committed: 0 };
  const ctx = RequestContext.system(app);
  const items = await vtex.readFeed(ctx, max);
  const done: string[] = [];
  let stored = 0;
  for (const it of items) {
    const e = eventOf(it.orderId, it.state, it.currentChange);
    const out = await receiveVerifiedWebhook(ctx, WebhookSource.OMS, Buffer.from(JSON.stringify(e.body)), e.id, { defer: true });
    // Not stored (a body the inbox refuses cannot be): left uncommitted, the feed shows it again after its visibility timeout.
    if (out.status !== 200) continue;
    if (!out.duplicate) stored++;
    done.push(it.handle);
  }
  await vtex.commitFeed(ctx, done);
  return { read: items.length, stored, committed: done.length };
}

export class VtexFeedWorker extends PeriodicWorker {
  constructor(private readonly app: AppServices) {
    super('vtex feed', app.logger, 0);
  }

  async tick(): Promise<number> {
    const r = await pullVtexFeed(this.app);
    if (r.read) this.app.logger.info({ ...r }, 'vtex feed round');
    // A full lot: read on at once; else wait for the configured interval.
    return r.read >= 10 ? 0 : this.pollMs();
  }

  protected retryDelayMs(): number {
    return this.pollMs();
  }

  private pollMs(): number {
    return this.app.config.omsAdapter.kind === 'vtex' ? this.app.config.omsAdapter.feedPollMs : 60_000;
  }
}
