/**
 * The HTTP client every connector uses: a timeout on every call, retries only for idempotent
 * requests or requests carrying an idempotency key (the same key on every attempt), and a
 * circuit breaker per upstream so a dead system fails fast instead of piling up requests.
 */
import { request } from 'undici';
import { assertNoTransaction, RequestContext } from '../db/context';
// The bounds the configuration derives from the guard's retry policy (REFUND_LEASE_MS, OUTBOX_CLAIM_MS) live in upstream-bounds.ts: change both together.
import { type CircuitStateName, type FailureReading, type UpstreamCall, UpstreamGuard, type UpstreamGuardOptions } from './upstream-guard';
import { stringifyWithBigints } from './json';
import { truncate } from './text';

export class UpstreamError extends Error {
  constructor(
    readonly system: string,
    readonly kind: 'timeout' | 'network' | 'http' | 'circuit-open',
    message: string,
    readonly status?: number,
    readonly body?: unknown,
    /** A 429's Retry-After, in milliseconds: the upstream throttled the call and did nothing. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
  /** Whether the outcome of the call is unknown (the upstream may have acted). */
  get outcomeUnknown(): boolean {
    return this.kind === 'timeout' || this.kind === 'network' || (this.kind === 'http' && (this.status ?? 0) >= 500);
  }
}

export interface UpstreamResponse<T = unknown> {
  status: number;
  body: T;
}

export interface RequestOptions {
  /** Sent as Idempotency-Key; makes a non-GET request safe to retry. */
  idempotencyKey?: string;
  /** Answers with these statuses are returned, not thrown (e.g. 400 rejections the caller maps). */
  acceptStatuses?: number[];
  timeoutMs?: number;
  retries?: number;
}

const HTTP_FAILURES: FailureReading = {
  outcome: (err) => {
    const e = err as UpstreamError;
    return e.kind === 'http' ? ((e.status ?? 0) >= 500 ? 'http_5xx' : 'http_4xx') : e.kind === 'timeout' ? 'timeout' : 'network';
  },
  unknown: (e) => e instanceof UpstreamError && e.outcomeUnknown,
};

export class HttpClient {
  /** The breaker and the observations of this upstream's calls. */
  readonly guard: UpstreamGuard;
  /** Sent with every call (a vendor's credentials, e.g. VTEX's X-VTEX-API-AppKey / AppToken). */
  private readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly system: string,
    private readonly baseUrl: string | undefined,
    private readonly timeoutMs: number,
    opts: UpstreamGuardOptions & { headers?: Readonly<Record<string, string>> } = {},
  ) {
    this.headers = opts.headers ?? {};
    this.guard = new UpstreamGuard(system, HTTP_FAILURES, opts);
  }

  /** Called after every attempt (each retry is one), and for each call the open circuit refused. */
  observe(observer: (call: UpstreamCall) => void): void {
    this.guard.observe(observer);
  }

  get circuitState(): CircuitStateName {
    return this.guard.circuitState;
  }

  get configured(): boolean {
    return Boolean(this.baseUrl);
  }

  async request<T = unknown>(ctx: RequestContext, method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<UpstreamResponse<T>> {
    assertNoTransaction(ctx, `${this.system} ${method} ${path}`);
    if (!this.baseUrl) throw new UpstreamError(this.system, 'network', `${this.system} base URL is not configured`);
    const safeToRetry = method === 'GET' || opts.idempotencyKey !== undefined;
    return this.guard.run(
      method,
      safeToRetry ? (opts.retries ?? 2) : 0,
      () => this.attempt<T>(ctx, method, path, body, opts),
      () => new UpstreamError(this.system, 'circuit-open', `${this.system} is unavailable (circuit open)`),
      (res) => (res.status >= 500 ? 'http_5xx' : res.status >= 400 ? 'http_4xx' : 'ok'),
    );
  }

  private async attempt<T>(ctx: RequestContext, method: string, path: string, body: unknown, opts: RequestOptions): Promise<UpstreamResponse<T>> {
    const headers: Record<string, string> = { ...this.headers, Accept: 'application/json', 'X-Request-Id': ctx.requestId };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    // undici's own request API, not fetch: the same keep-alive connections without the WHATWG
    // Request/Response/stream objects, at about half the CPU per call (npm run bench:refunds).
    const signal = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(`${this.baseUrl}${path}`, {
        method: method as 'GET',
        headers,
        body: body === undefined ? undefined : stringifyWithBigints(body),
        signal,
      });
    } catch {
      const timeout = signal.aborted;
      throw new UpstreamError(this.system, timeout ? 'timeout' : 'network', `${this.system} ${method} ${path}: ${timeout ? 'timed out' : 'unreachable'}`);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch {
      throw new UpstreamError(this.system, 'timeout', `${this.system} ${method} ${path}: response interrupted`);
    }
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = { raw: truncate(text, 500) };
    }
    const status = res.statusCode;
    if ((status >= 200 && status < 300) || opts.acceptStatuses?.includes(status)) return { status, body: parsed as T };
    const retryAfterMs = status === 429 ? retryAfter(firstHeader(res.headers['retry-after'])) : undefined;
    throw new UpstreamError(this.system, 'http', `${this.system} ${method} ${path}: HTTP ${status}`, status, parsed, retryAfterMs);
  }
}

const firstHeader = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));

/** Retry-After as seconds or an HTTP date, in milliseconds (1 s when absent or unreadable). */
function retryAfter(v: string | null): number {
  if (v && /^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = v ? Date.parse(v) : NaN;
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : 1000;
}
