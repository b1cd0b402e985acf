/**
 * The VTEX simulator's Orders Hook and Feed v3: each order change becomes a notification
 * `{Domain, OrderId, State, LastState, LastChange, CurrentChange, Origin: {Account, Key}}`, posted
 * to the configured hook URL with the configured headers (retried while it is not answered 200,
 * as VTEX does), and an item of the feed, shown to one reader at a time until committed by handle.
 * Faults: notifications dropped (the feed is then the only way the change arrives), duplicated,
 * held until a flush (late) and flushed in reverse (reordered); what was not answered 200 is
 * posted again by `retry()`.
 */
import { randomUUID } from 'node:crypto';

export interface VtexNotification {
  Domain: string;
  OrderId: string;
  State: string;
  LastState: string | null;
  LastChange: string | null;
  CurrentChange: string;
  Origin: { Account: string; Key: string };
}

export interface HookDelivery {
  orderId: string;
  currentChange: string;
  attempt: number;
  status: number | null;
  ms: number;
}

interface FeedItem {
  eventId: string;
  handle: string | null;
  visibleAt: number;
  n: VtexNotification;
}

export interface VtexHookFaults {
  /** The next N notifications are never posted to the hook (they are still in the feed). */
  dropNext: number;
  /** Every notification is posted twice. */
  duplicate: boolean;
  /** A flush posts the held notifications newest first. */
  reverse: boolean;
}

export class VtexHookStream {
  readonly deliveries: HookDelivery[] = [];
  /** Notifications never posted to the hook (dropNext): only the feed carries them. */
  readonly dropped: VtexNotification[] = [];
  readonly faults: VtexHookFaults = { dropNext: 0, duplicate: false, reverse: false };
  /** Notifications not answered 200 yet: retried by `retry()`. */
  private undelivered: VtexNotification[] = [];
  private feed: FeedItem[] = [];
  /** Held (not posted) until `flush()`; the hook's URL and headers as its configuration set them. */
  hold = false;
  private queue: VtexNotification[] = [];

  constructor(
    private hook: { url?: string; headers: Record<string, string> },
    private readonly clock: () => Date,
    private readonly visibilityMs = 30_000,
  ) {}

  configure(hook: { url?: string; headers?: Record<string, string> }): void {
    this.hook = { url: hook.url ?? this.hook.url, headers: hook.headers ?? this.hook.headers };
  }

  /** One order change: into the feed at once, and to the hook (now, or at the next flush when held). */
  async notify(n: VtexNotification): Promise<void> {
    this.feed.push({ eventId: randomUUID(), handle: null, visibleAt: 0, n });
    if (this.faults.dropNext > 0) {
      this.faults.dropNext--;
      this.dropped.push(n);
      return;
    }
    if (this.hold || !this.hook.url) this.queue.push(n);
    else await this.deliver(n);
  }

  /** Posts what was held, in order (newest first with `faults.reverse`). */
  async flush(): Promise<number> {
    const q = this.faults.reverse ? [...this.queue].reverse() : this.queue;
    this.queue = [];
    for (const n of q) await this.deliver(n);
    return q.length;
  }

  /** Notifications not answered 200 yet (waiting for `retry()`). */
  get unanswered(): number {
    return this.undelivered.length;
  }

  /** Held notifications not posted yet. */
  get held(): number {
    return this.queue.length;
  }

  private async deliver(n: VtexNotification): Promise<void> {
    await this.post(n, 1 + this.attemptsOf(n));
    if (this.faults.duplicate) await this.post(n, 1 + this.attemptsOf(n));
  }

  private attemptsOf(n: VtexNotification): number {
    return this.deliveries.filter((d) => d.orderId === n.OrderId && d.currentChange === n.CurrentChange).length;
  }

  /** Posts again what was not answered 200 (VTEX retries a notification for days). */
  async retry(): Promise<number> {
    const q = this.undelivered;
    this.undelivered = [];
    for (const n of q) await this.post(n, 1 + this.attemptsOf(n));
    return q.length;
  }

  /** The configuration's ping: VTEX keeps the hook only if it is answered 200. */
  async ping(): Promise<number | null> {
    return (await this.send({ hookConfig: 'ping' })).status;
  }

  /** GET /api/orders/feed: up to `max` visible items; each is hidden for the visibility timeout under a fresh handle. */
  readFeed(max: number) {
    const now = this.clock().getTime();
    const shown = this.feed.filter((f) => f.visibleAt <= now).slice(0, max);
    for (const f of shown) {
      f.handle = randomUUID();
      f.visibleAt = now + this.visibilityMs;
    }
    return shown.map((f) => ({
      eventId: f.eventId,
      handle: f.handle,
      domain: f.n.Domain,
      state: f.n.State,
      lastState: f.n.LastState,
      orderId: f.n.OrderId,
      lastChange: f.n.LastChange,
      currentChange: f.n.CurrentChange,
      origin: { account: f.n.Origin.Account, key: f.n.Origin.Key },
    }));
  }

  /** POST /api/orders/feed {handles}: those items leave the feed; an unknown or stale handle is ignored. */
  commit(handles: string[]): number {
    const before = this.feed.length;
    this.feed = this.feed.filter((f) => !f.handle || !handles.includes(f.handle));
    return before - this.feed.length;
  }

  get feedSize(): number {
    return this.feed.length;
  }

  /** The order changes of an order still in the feed (not committed). */
  feedOf(orderId: string): string[] {
    return this.feed.filter((f) => f.n.OrderId === orderId).map((f) => f.n.CurrentChange);
  }

  private async post(n: VtexNotification, attempt: number): Promise<void> {
    const r = await this.send(n);
    this.deliveries.push({ orderId: n.OrderId, currentChange: n.CurrentChange, attempt, status: r.status, ms: r.ms });
    if (r.status !== 200) this.undelivered.push(n);
  }

  private async send(body: unknown): Promise<{ status: number | null; ms: number }> {
    const started = Date.now();
    if (!this.hook.url) return { status: null, ms: 0 };
    try {
      const res = await fetch(this.hook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.hook.headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      return { status: res.status, ms: Date.now() - started };
    } catch {
      return { status: null, ms: Date.now() - started };
    }
  }
}
