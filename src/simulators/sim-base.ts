/**
 * The skeleton every simulator is built on: the express app with its control routes (state,
 * faults, webhook flush, reset), fault injection on business routes, and the webhook sender.
 */
import express, { type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { HttpError, bad, bodyOf, listen, notFound, sendJson, type Json, type Served } from './http-kit';
import { count } from './validators';
import { WebhookSender, parseWebhookFaults, type WebhookSource } from './webhook-sender';

export interface SimOptions {
  /** The service's base URL (or its full `/webhooks/<source>` URL); unset → events are only queued. */
  webhookUrl?: string;
  secret?: string;
  clock?: () => Date;
}
export interface BaseFaults {
  failNext: number;
  failStatus: number;
  timeoutNext: number;
  hangMs: number;
  /** When set ("POST /refunds"), failNext and timeoutNext apply only to that route; other calls pass. */
  faultsOnly: string | null;
}
export interface Reply {
  status: number;
  body: unknown;
}
type Handler = (req: Request) => Reply | Promise<Reply>;
/** Registers a business route of a simulator (see `route` in simBase). */
export type SimRoute = ReturnType<typeof simBase>['route'];

export function simBase<F extends object>(source: WebhookSource, opts: SimOptions, cfg: { faults: F; applyFaults(body: Json, faults: F): void; dump(): Json; reset(): void }) {
  const clock = opts.clock ?? (() => new Date());
  const now = () => clock().toISOString();
  const webhooks = new WebhookSender(source, { serviceUrl: opts.webhookUrl, secret: opts.secret });
  const defaults: BaseFaults & F = { failNext: 0, failStatus: 503, timeoutNext: 0, hangMs: 30_000, faultsOnly: null, ...cfg.faults };
  const faults: BaseFaults & F = { ...defaults };
  const hung = new Set<NodeJS.Timeout>();
  const problem = (res: Response, e: HttpError) => sendJson(res, e.status, { title: e.title, status: e.status, detail: e.detail });

  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.get('/_state', (_req, res) => sendJson(res, 200, { ...cfg.dump(), faults, webhooks: webhooks.snapshot() }));
  app.post('/_faults', (req, res) => {
    const b = bodyOf(req);
    try {
      // Validate everything before changing anything, so a bad request leaves the faults as they were.
      const next: BaseFaults & F = { ...faults };
      for (const k of ['failNext', 'timeoutNext', 'hangMs'] as const) if (b[k] !== undefined) next[k] = count(b[k], k);
      if (b.failStatus !== undefined) {
        const s = count(b.failStatus, 'failStatus');
        if (s < 400 || s > 599) throw bad('failStatus must be an HTTP error status (400-599)');
        next.failStatus = s;
      }
      if (b.faultsOnly !== undefined) {
        if (b.faultsOnly !== null && (typeof b.faultsOnly !== 'string' || !/^(GET|POST|PATCH|PUT) \/\S*$/.test(b.faultsOnly))) {
          throw bad('faultsOnly must be null or "<METHOD> <route>", e.g. "POST /refunds"');
        }
        next.faultsOnly = b.faultsOnly as string | null;
      }
      cfg.applyFaults(b, next);
      const wh = b.webhooks !== undefined ? parseWebhookFaults(b.webhooks) : {};
      Object.assign(faults, next);
      webhooks.configure(wh);
      sendJson(res, 200, { faults, webhooks: webhooks.config });
    } catch (e) {
      if (e instanceof HttpError) return problem(res, e);
      throw e;
    }
  });
  app.post('/_webhooks/flush', async (_req, res) => {
    const sent = await webhooks.flush();
    sendJson(res, 200, { sent, pending: webhooks.pending() });
  });
  app.post('/_reset', (_req, res) => {
    cfg.reset();
    Object.assign(faults, defaults);
    webhooks.reset();
    sendJson(res, 200, { reset: true });
  });

  const router = express.Router();
  app.use(router);
  app.use((_req: Request, res: Response) => problem(res, notFound('No such route')));
  app.use((err: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    if (err instanceof HttpError) return problem(res, err);
    const e = err as { type?: string; status?: number; message?: string };
    if (e?.type === 'entity.parse.failed') return problem(res, bad('Request body is not valid JSON'));
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) return problem(res, new HttpError(e.status, 'INVALID_REQUEST', e.message ?? 'Bad request'));
    problem(res, new HttpError(500, 'INTERNAL_ERROR', e?.message ?? String(err)));
  });

  /** A business route: subject to the faults; handlers return their reply instead of writing it. */
  const route = (method: 'get' | 'post' | 'patch' | 'put', path: string, handler: Handler) =>
    router[method](path, async (req: Request, res: Response) => {
      const targeted = faults.faultsOnly === null || faults.faultsOnly === `${method.toUpperCase()} ${path}`;
      if (targeted && faults.failNext > 0) {
        faults.failNext--;
        return problem(res, new HttpError(faults.failStatus, 'SIMULATED_FAILURE', 'Injected failure (failNext)'));
      }
      const hang = targeted && faults.timeoutNext > 0 ? (faults.timeoutNext--, faults.hangMs) : 0;
      let reply: Reply;
      try {
        reply = await handler(req);
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        reply = { status: e.status, body: { title: e.title, status: e.status, detail: e.detail } };
      }
      if (!hang) return sendJson(res, reply.status, reply.body);
      // The operation has happened; only its answer is late, as with a real upstream timing out.
      const t = setTimeout(() => {
        hung.delete(t);
        if (!res.socket?.destroyed) sendJson(res, reply.status, reply.body);
      }, hang);
      t.unref();
      hung.add(t);
    });

  /** Envelope events (everything except PSP refund events). */
  const emit = (type: string, data: unknown) => {
    const id = randomUUID();
    return webhooks.emit(type, { id, type, occurredAt: now(), data }, id);
  };

  const start = async (port?: number): Promise<Served> => {
    const served = await listen(app, port);
    return {
      url: served.url,
      close: async () => {
        for (const t of hung) clearTimeout(t);
        hung.clear();
        await served.close();
      },
    };
  };

  return { app, webhooks, faults, clock, now, route, emit, start };
}
