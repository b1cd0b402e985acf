import express, { Router } from 'express';
import { AppServices, RequestContext } from '../db/context';
import type { Metrics } from '../metrics';
import { receiveWebhook } from './webhook.service';
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
  return router;
}
