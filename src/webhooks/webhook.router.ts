import express, { Router } from 'express';
import { AppServices, RequestContext } from '../db/context';
import type { Metrics } from '../metrics';
import { receiveVerifiedWebhook, receiveWebhook, type WebhookOutcome } from './webhook.service';
import { WebhookSource } from './webhook-event.entity';

const SOURCES: Record<string, WebhookSource> = { oms: WebhookSource.OMS, psp: WebhookSource.PSP, erp: WebhookSource.ERP };

/** Mounted before any JSON parser: the signature is over the raw bytes. */
export function webhookRouter(app: AppServices, metrics?: Metrics): Router {
  const router = Router();
  router.post('/webhooks/:source', express.raw({ type: () => true, limit: app.config.webhookMaxBytes }), async (req, res, next) => {
    try {
      const source = SOURCES[String(req.params.source)];
      if (!source) return void res.status(404).json({ error: 'unknown webhook source' });
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const ctx = RequestContext.system(app, String(res.locals.requestId ?? ''));
      const out = await receiveWebhook(ctx, source, raw, {
        signature: req.get('x-signature') ?? undefined,
        eventId: req.get('x-event-id') ?? undefined,
      });
      const { status, ...body } = out;
      metrics?.webhooks.inc({ source, status: String(status) });
      res.status(status).json(body);
    } catch (err) {
      next(err);
    }
  });
  // A PSP adapter instance's own endpoint (PSP_ADAPTERS): its port verifies the vendor's signature and
  // translates the event into canonical records, stored and applied as the in-house events are.
  router.post('/webhooks/psp/:adapterId', express.raw({ type: () => true, limit: app.config.webhookMaxBytes }), async (req, res, next) => {
    try {
      const port = app.connectors.pspAdapters.get(String(req.params.adapterId))?.webhooks;
      if (!port) return void res.status(404).json({ error: 'unknown PSP adapter' });
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const ctx = RequestContext.system(app, String(res.locals.requestId ?? ''));
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      const verified = port.verify(raw, headers, ctx.now);
      if (!verified.ok) {
        metrics?.webhooks.inc({ source: port.source, status: '401' });
        return void res.status(401).json({ error: verified.error });
      }
      const outcomes: WebhookOutcome[] = [];
      for (const e of verified.events) outcomes.push(await receiveVerifiedWebhook(ctx, WebhookSource[port.source], Buffer.from(JSON.stringify(e.body)), e.eventId));
      // The worst outcome is the answer, so the vendor redelivers an event one of whose records could not be applied.
      const status = Math.max(200, ...outcomes.map((o) => o.status));
      metrics?.webhooks.inc({ source: port.source, status: String(status) });
      res.status(status).json({ eventId: verified.vendorEventId, type: verified.vendorType, records: outcomes.map(({ status: s, ...o }) => ({ status: s, ...o })) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}
