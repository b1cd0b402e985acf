/** The signed, controllable webhook queue of a simulator, and the webhook faults it obeys. */
import { createHmac, randomUUID } from 'node:crypto';
import { bad, isObj, toJson } from './http-kit';
import { count, flag, oneOf } from './validators';

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

  constructor(
    readonly source: WebhookSource,
    opts: WebhookSenderOptions = {},
  ) {
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

export function parseWebhookFaults(v: unknown): WebhookFaults {
  if (!isObj(v)) throw bad('webhooks must be an object');
  const f: WebhookFaults = {};
  if (v.mode !== undefined) f.mode = oneOf(v.mode, ['immediate', 'hold'] as const, 'webhooks.mode');
  if (v.duplicate !== undefined) f.duplicate = flag(v.duplicate, 'webhooks.duplicate');
  if (v.reverse !== undefined) f.reverse = flag(v.reverse, 'webhooks.reverse');
  if (v.dropNext !== undefined) f.dropNext = count(v.dropNext, 'webhooks.dropNext');
  return f;
}
