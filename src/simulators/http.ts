/**
 * Shared plumbing of the upstream simulators: listening, JSON with bigint, problem answers,
 * fault injection and the signed, controllable webhook queue.
 */
import express, { type Express, type Request, type Response } from 'express';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_MINOR, isCurrencyCode, type CurrencyCode } from '../shared/money';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Express, port = 0): Promise<Served> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung (timeoutNext) and keep-alive connections would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------- JSON, errors, inputs

export class HttpError extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail: string) {
    super(detail);
  }
}
export const bad = (detail: string, title = 'INVALID_REQUEST') => new HttpError(400, title, detail);
export const notFound = (detail: string) => new HttpError(404, 'NOT_FOUND', detail);
export const conflict = (detail: string) => new HttpError(409, 'CONFLICT', detail);

/** Money stays bigint in memory; it becomes a digit string only here, on the wire. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v,
  );
}

function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(toJson(body));
}

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const bodyOf = (req: Request): Json => (isObj(req.body) ? req.body : {});
/** Route parameters (express 5 types them as possibly repeated). */
export const param = (req: Request, name: string): string => String(req.params[name]);
/** A single-valued query parameter, or undefined. */
export const query = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
};

/** Minor units from a digit string or a safe JSON integer, converted to bigint at once. */
export function parseMinor(v: unknown, field: string, o: { signed?: boolean; positive?: boolean } = {}): bigint {
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : null;
  if (s === null || !(o.signed ? /^-?\d{1,20}$/ : /^\d{1,20}$/).test(s)) {
    throw bad(`${field} must be ${o.signed ? 'an optionally signed' : 'a'} string of digits (minor units)`);
  }
  const n = BigInt(s);
  if (n > MAX_MINOR || n < -MAX_MINOR) throw bad(`${field} exceeds the largest accepted amount`);
  if (o.positive && n <= 0n) throw bad(`${field} must be greater than zero`);
  return n;
}

export function parseCurrency(v: unknown, field = 'currency'): CurrencyCode {
  if (typeof v !== 'string' || !isCurrencyCode(v)) throw bad(`${field} must be a supported ISO-4217 code`);
  return v;
}

/** Absent, null and '' all mean "not given" (seed 004 sends `"paymentId": null`). */
export function optStr(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw bad(`${field} must be a string`);
  return v;
}

export function reqStr(v: unknown, field: string): string {
  const s = optStr(v, field);
  if (s === undefined) throw bad(`${field} is required`);
  return s;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw bad(`${field} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

export function optIso(v: unknown, field: string): string | undefined {
  const s = optStr(v, field);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw bad(`${field} must be an ISO-8601 timestamp`);
  return new Date(t).toISOString();
}

export const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

// ---------------------------------------------------------------- webhooks

export type WebhookSource = 'oms' | 'psp' | 'erp';
export type WebhookMode = 'immediate' | 'hold';
export interface WebhookFaults {
  mode?: WebhookMode;
  duplicate?: boolean;
  reverse?: boolean;
  dropNext?: number;
}
export interface Delivery {
  eventId: string;
  type: string;
  attempt: number;
  /** HTTP status, or null when the request never got an answer. */
  status: number | null;
  outcome: 'delivered' | 'retrying' | 'rejected' | 'failed' | 'dropped';
  error?: string;
  at: string;
}
interface QueuedEvent {
  eventId: string;
  type: string;
  raw: string;
}
export interface WebhookSenderOptions {
  serviceUrl?: string;
  secret?: string;
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

const defaultWebhookFaults = (): Required<WebhookFaults> => ({ mode: 'immediate', duplicate: false, reverse: false, dropNext: 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class WebhookSender {
  /** Every event ever emitted (delivered or not), in emission order. */
  readonly events: QueuedEvent[] = [];
  readonly deliveries: Delivery[] = [];
  private queue: QueuedEvent[] = [];
  private cfg = defaultWebhookFaults();
  // Deliveries are serialised so that concurrent API calls cannot reorder events on the wire.
  private tail: Promise<unknown> = Promise.resolve();
  private url?: string;
  private secret: string;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(readonly source: WebhookSource, opts: WebhookSenderOptions = {}) {
    // Same defaults as src/config, so a dev service and dev simulators agree without setup.
    this.secret = opts.secret ?? `dev-${source}-webhook-secret-change-me`;
    this.retries = opts.retries ?? 3;
    this.backoffMs = opts.backoffMs ?? 25;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.setTarget(opts.serviceUrl);
  }

  /** Accepts the service's base URL or the full `/webhooks/<source>` URL. */
  setTarget(url: string | undefined, secret?: string): void {
    if (secret !== undefined) this.secret = secret;
    if (!url) return void (this.url = undefined);
    const trimmed = url.replace(/\/+$/, '');
    this.url = new RegExp(`/webhooks/${this.source}$`).test(trimmed) ? trimmed : `${trimmed}/webhooks/${this.source}`;
  }

  get target(): string | undefined {
    return this.url;
  }

  configure(f: WebhookFaults): void {
    if (f.mode !== undefined) this.cfg.mode = f.mode;
    if (f.duplicate !== undefined) this.cfg.duplicate = f.duplicate;
    if (f.reverse !== undefined) this.cfg.reverse = f.reverse;
    if (f.dropNext !== undefined) this.cfg.dropNext = f.dropNext;
  }

  get config(): Readonly<Required<WebhookFaults>> {
    return { ...this.cfg };
  }

  /** Serialises now (a snapshot of the record as it is), queues, and in immediate mode delivers before returning. */
  async emit(type: string, body: unknown, eventId: string = randomUUID()): Promise<string> {
    const ev = { eventId, type, raw: toJson(body) };
    this.events.push(ev);
    this.queue.push(ev);
    if (this.cfg.mode === 'immediate') await this.flush();
    return eventId;
  }

  /** Sends everything queued (no-op without a target); resolves to the number of HTTP deliveries made. */
  flush(): Promise<number> {
    const run = this.tail.then(() => this.drain());
    this.tail = run.catch(() => 0);
    return run;
  }

  pending(): number {
    return this.queue.length;
  }

  reset(): void {
    this.queue = [];
    this.events.length = 0;
    this.deliveries.length = 0;
    this.cfg = defaultWebhookFaults();
  }

  snapshot() {
    return {
      target: this.url ?? null,
      ...this.cfg,
      pending: this.queue.length,
      deliveries: this.deliveries,
      events: this.events.map((e) => ({ eventId: e.eventId, type: e.type, body: JSON.parse(e.raw) as unknown })),
    };
  }

  private async drain(): Promise<number> {
    if (!this.url) return 0;
    const batch = this.queue.splice(0);
    if (this.cfg.reverse) batch.reverse();
    let sent = 0;
    for (const ev of batch) {
      if (this.cfg.dropNext > 0) {
        this.cfg.dropNext--;
        this.log(ev, 0, null, 'dropped');
        continue;
      }
      for (let i = this.cfg.duplicate ? 2 : 1; i > 0; i--, sent++) await this.deliver(ev);
    }
    return sent;
  }

  private async deliver(ev: QueuedEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let status: number | null = null;
      let error: string | undefined;
      try {
        const res = await fetch(this.url!, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Event-Id': ev.eventId,
            'X-Signature': `sha256=${createHmac('sha256', this.secret).update(ev.raw).digest('hex')}`,
          },
          body: ev.raw,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        status = res.status;
        await res.arrayBuffer().catch(() => undefined);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const ok = status !== null && status >= 200 && status < 300;
      // 400/401 mean the service looked at the event and refused it: resending the same bytes cannot help.
      const final = ok || status === 400 || status === 401 || attempt > this.retries;
      const outcome = ok ? 'delivered' : !final ? 'retrying' : status !== null && status < 500 ? 'rejected' : 'failed';
      this.log(ev, attempt, status, outcome, error);
      if (final) return;
      await sleep(this.backoffMs * 2 ** (attempt - 1));
    }
  }

  private log(ev: QueuedEvent, attempt: number, status: number | null, outcome: Delivery['outcome'], error?: string) {
    this.deliveries.push({ eventId: ev.eventId, type: ev.type, attempt, status, outcome, ...(error ? { error } : {}), at: new Date().toISOString() });
  }
}

// ---------------------------------------------------------------- simulator skeleton

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

export function count(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(`${field} must be a non-negative integer`);
  return v;
}
export function flag(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw bad(`${field} must be a boolean`);
  return v;
}

function parseWebhookFaults(v: unknown): WebhookFaults {
  if (!isObj(v)) throw bad('webhooks must be an object');
  const f: WebhookFaults = {};
  if (v.mode !== undefined) f.mode = oneOf(v.mode, ['immediate', 'hold'] as const, 'webhooks.mode');
  if (v.duplicate !== undefined) f.duplicate = flag(v.duplicate, 'webhooks.duplicate');
  if (v.reverse !== undefined) f.reverse = flag(v.reverse, 'webhooks.reverse');
  if (v.dropNext !== undefined) f.dropNext = count(v.dropNext, 'webhooks.dropNext');
  return f;
}

export function simBase<F extends object>(
  source: WebhookSource,
  opts: SimOptions,
  cfg: { faults: F; applyFaults(body: Json, faults: F): void; dump(): Json; reset(): void },
) {
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
