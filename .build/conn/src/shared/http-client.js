"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HttpClient = exports.UpstreamError = void 0;
/**
 * The HTTP client every connector uses: a timeout on every call, retries only for idempotent
 * requests or requests carrying an idempotency key (the same key on every attempt), and a
 * circuit breaker per upstream so a dead system fails fast instead of piling up requests.
 */
const cockatiel_1 = require("cockatiel");
const context_1 = require("../db/context");
class UpstreamError extends Error {
    constructor(system, kind, message, status, body) {
        super(message);
        this.system = system;
        this.kind = kind;
        this.status = status;
        this.body = body;
    }
    /** Whether the outcome of the call is unknown (the upstream may have acted). */
    get outcomeUnknown() {
        return this.kind === 'timeout' || this.kind === 'network' || (this.kind === 'http' && (this.status ?? 0) >= 500);
    }
}
exports.UpstreamError = UpstreamError;
class HttpClient {
    constructor(system, baseUrl, timeoutMs, opts = {}) {
        this.system = system;
        this.baseUrl = baseUrl;
        this.timeoutMs = timeoutMs;
        this.breaker = (0, cockatiel_1.circuitBreaker)((0, cockatiel_1.handleWhen)((e) => e instanceof UpstreamError && e.outcomeUnknown), {
            halfOpenAfter: opts.halfOpenAfterMs ?? 5_000,
            breaker: new cockatiel_1.ConsecutiveBreaker(opts.breakerThreshold ?? 5),
        });
    }
    get configured() {
        return Boolean(this.baseUrl);
    }
    async request(ctx, method, path, body, opts = {}) {
        (0, context_1.assertNoTransaction)(ctx, `${this.system} ${method} ${path}`);
        if (!this.baseUrl)
            throw new UpstreamError(this.system, 'network', `${this.system} base URL is not configured`);
        const safeToRetry = method === 'GET' || opts.idempotencyKey !== undefined;
        const retries = safeToRetry ? (opts.retries ?? 2) : 0;
        const policy = retries > 0
            ? (0, cockatiel_1.wrap)((0, cockatiel_1.retry)((0, cockatiel_1.handleWhen)((e) => e instanceof UpstreamError && e.outcomeUnknown), { maxAttempts: retries, backoff: new cockatiel_1.ExponentialBackoff({ initialDelay: 50, maxDelay: 1_000 }) }), this.breaker)
            : this.breaker;
        try {
            return await policy.execute(() => this.once(ctx, method, path, body, opts));
        }
        catch (err) {
            if (err instanceof cockatiel_1.BrokenCircuitError)
                throw new UpstreamError(this.system, 'circuit-open', `${this.system} is unavailable (circuit open)`);
            throw err;
        }
    }
    async once(ctx, method, path, body, opts) {
        const headers = { Accept: 'application/json', 'X-Request-Id': ctx.requestId };
        if (body !== undefined)
            headers['Content-Type'] = 'application/json';
        if (opts.idempotencyKey)
            headers['Idempotency-Key'] = opts.idempotencyKey;
        let res;
        try {
            res = await fetch(`${this.baseUrl}${path}`, {
                method,
                headers,
                body: body === undefined ? undefined : JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
                signal: AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs),
            });
        }
        catch (err) {
            const timeout = err.name === 'TimeoutError' || err.name === 'AbortError';
            throw new UpstreamError(this.system, timeout ? 'timeout' : 'network', `${this.system} ${method} ${path}: ${timeout ? 'timed out' : 'unreachable'}`);
        }
        let text;
        try {
            text = await res.text();
        }
        catch {
            throw new UpstreamError(this.system, 'timeout', `${this.system} ${method} ${path}: response interrupted`);
        }
        let parsed = undefined;
        try {
            parsed = text ? JSON.parse(text) : undefined;
        }
        catch {
            parsed = { raw: text.slice(0, 500) };
        }
        if (res.ok || opts.acceptStatuses?.includes(res.status))
            return { status: res.status, body: parsed };
        throw new UpstreamError(this.system, 'http', `${this.system} ${method} ${path}: HTTP ${res.status}`, res.status, parsed);
    }
}
exports.HttpClient = HttpClient;
//# sourceMappingURL=http-client.js.map