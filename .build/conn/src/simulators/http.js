"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.WebhookSender = exports.newId = exports.query = exports.param = exports.bodyOf = exports.isObj = exports.conflict = exports.notFound = exports.bad = exports.HttpError = void 0;
exports.listen = listen;
exports.toJson = toJson;
exports.parseMinor = parseMinor;
exports.parseCurrency = parseCurrency;
exports.optStr = optStr;
exports.reqStr = reqStr;
exports.oneOf = oneOf;
exports.optIso = optIso;
exports.count = count;
exports.flag = flag;
exports.simBase = simBase;
/**
 * Shared plumbing of the upstream simulators: listening, JSON with bigint, problem answers,
 * fault injection and the signed, controllable webhook queue.
 */
const express_1 = __importDefault(require("express"));
const node_crypto_1 = require("node:crypto");
const node_http_1 = __importDefault(require("node:http"));
const money_1 = require("../shared/money");
async function listen(app, port = 0) {
    const server = node_http_1.default.createServer(app);
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
    });
    const { port: actual } = server.address();
    return {
        url: `http://127.0.0.1:${actual}`,
        close: () => new Promise((resolve) => {
            server.close(() => resolve());
            // Hung (timeoutNext) and keep-alive connections would otherwise keep close() waiting.
            server.closeAllConnections();
        }),
    };
}
// ---------------------------------------------------------------- JSON, errors, inputs
class HttpError extends Error {
    constructor(status, title, detail) {
        super(detail);
        this.status = status;
        this.title = title;
        this.detail = detail;
    }
}
exports.HttpError = HttpError;
const bad = (detail, title = 'INVALID_REQUEST') => new HttpError(400, title, detail);
exports.bad = bad;
const notFound = (detail) => new HttpError(404, 'NOT_FOUND', detail);
exports.notFound = notFound;
const conflict = (detail) => new HttpError(409, 'CONFLICT', detail);
exports.conflict = conflict;
/** Money stays bigint in memory; it becomes a digit string only here, on the wire. */
function toJson(value) {
    return JSON.stringify(value, (_k, v) => typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : v);
}
function sendJson(res, status, body) {
    res.status(status).type('application/json').send(toJson(body));
}
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
exports.isObj = isObj;
const bodyOf = (req) => ((0, exports.isObj)(req.body) ? req.body : {});
exports.bodyOf = bodyOf;
/** Route parameters (express 5 types them as possibly repeated). */
const param = (req, name) => String(req.params[name]);
exports.param = param;
/** A single-valued query parameter, or undefined. */
const query = (req, name) => {
    const v = req.query[name];
    return typeof v === 'string' ? v : undefined;
};
exports.query = query;
/** Minor units from a digit string or a safe JSON integer, converted to bigint at once. */
function parseMinor(v, field, o = {}) {
    const s = typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : null;
    if (s === null || !(o.signed ? /^-?\d{1,20}$/ : /^\d{1,20}$/).test(s)) {
        throw (0, exports.bad)(`${field} must be ${o.signed ? 'an optionally signed' : 'a'} string of digits (minor units)`);
    }
    const n = BigInt(s);
    if (n > money_1.MAX_MINOR || n < -money_1.MAX_MINOR)
        throw (0, exports.bad)(`${field} exceeds the largest accepted amount`);
    if (o.positive && n <= 0n)
        throw (0, exports.bad)(`${field} must be greater than zero`);
    return n;
}
function parseCurrency(v, field = 'currency') {
    if (typeof v !== 'string' || !(0, money_1.isCurrencyCode)(v))
        throw (0, exports.bad)(`${field} must be a supported ISO-4217 code`);
    return v;
}
/** Absent, null and '' all mean "not given" (seed 004 sends `"paymentId": null`). */
function optStr(v, field) {
    if (v === undefined || v === null || v === '')
        return undefined;
    if (typeof v !== 'string')
        throw (0, exports.bad)(`${field} must be a string`);
    return v;
}
function reqStr(v, field) {
    const s = optStr(v, field);
    if (s === undefined)
        throw (0, exports.bad)(`${field} is required`);
    return s;
}
function oneOf(v, allowed, field) {
    if (typeof v !== 'string' || !allowed.includes(v)) {
        throw (0, exports.bad)(`${field} must be one of ${allowed.join(', ')}`);
    }
    return v;
}
function optIso(v, field) {
    const s = optStr(v, field);
    if (s === undefined)
        return undefined;
    const t = Date.parse(s);
    if (Number.isNaN(t))
        throw (0, exports.bad)(`${field} must be an ISO-8601 timestamp`);
    return new Date(t).toISOString();
}
const newId = (prefix) => `${prefix}_${(0, node_crypto_1.randomUUID)().replace(/-/g, '').slice(0, 20)}`;
exports.newId = newId;
const defaultWebhookFaults = () => ({ mode: 'immediate', duplicate: false, reverse: false, dropNext: 0 });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
class WebhookSender {
    constructor(source, opts = {}) {
        this.source = source;
        /** Every event ever emitted (delivered or not), in emission order. */
        this.events = [];
        this.deliveries = [];
        this.queue = [];
        this.cfg = defaultWebhookFaults();
        // Deliveries are serialised so that concurrent API calls cannot reorder events on the wire.
        this.tail = Promise.resolve();
        // Same defaults as src/config, so a dev service and dev simulators agree without setup.
        this.secret = opts.secret ?? `dev-${source}-webhook-secret-change-me`;
        this.retries = opts.retries ?? 3;
        this.backoffMs = opts.backoffMs ?? 25;
        this.timeoutMs = opts.timeoutMs ?? 5000;
        this.setTarget(opts.serviceUrl);
    }
    /** Accepts the service's base URL or the full `/webhooks/<source>` URL. */
    setTarget(url, secret) {
        if (secret !== undefined)
            this.secret = secret;
        if (!url)
            return void (this.url = undefined);
        const trimmed = url.replace(/\/+$/, '');
        this.url = new RegExp(`/webhooks/${this.source}$`).test(trimmed) ? trimmed : `${trimmed}/webhooks/${this.source}`;
    }
    get target() {
        return this.url;
    }
    configure(f) {
        if (f.mode !== undefined)
            this.cfg.mode = f.mode;
        if (f.duplicate !== undefined)
            this.cfg.duplicate = f.duplicate;
        if (f.reverse !== undefined)
            this.cfg.reverse = f.reverse;
        if (f.dropNext !== undefined)
            this.cfg.dropNext = f.dropNext;
    }
    get config() {
        return { ...this.cfg };
    }
    /** Serialises now (a snapshot of the record as it is), queues, and in immediate mode delivers before returning. */
    async emit(type, body, eventId = (0, node_crypto_1.randomUUID)()) {
        const ev = { eventId, type, raw: toJson(body) };
        this.events.push(ev);
        this.queue.push(ev);
        if (this.cfg.mode === 'immediate')
            await this.flush();
        return eventId;
    }
    /** Sends everything queued (no-op without a target); resolves to the number of HTTP deliveries made. */
    flush() {
        const run = this.tail.then(() => this.drain());
        this.tail = run.catch(() => 0);
        return run;
    }
    pending() {
        return this.queue.length;
    }
    reset() {
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
            events: this.events.map((e) => ({ eventId: e.eventId, type: e.type, body: JSON.parse(e.raw) })),
        };
    }
    async drain() {
        if (!this.url)
            return 0;
        const batch = this.queue.splice(0);
        if (this.cfg.reverse)
            batch.reverse();
        let sent = 0;
        for (const ev of batch) {
            if (this.cfg.dropNext > 0) {
                this.cfg.dropNext--;
                this.log(ev, 0, null, 'dropped');
                continue;
            }
            for (let i = this.cfg.duplicate ? 2 : 1; i > 0; i--, sent++)
                await this.deliver(ev);
        }
        return sent;
    }
    async deliver(ev) {
        for (let attempt = 1;; attempt++) {
            let status = null;
            let error;
            try {
                const res = await fetch(this.url, {
                    method: 'POST',
                    headers: {
                        'Content-Type': 'application/json',
                        'X-Event-Id': ev.eventId,
                        'X-Signature': `sha256=${(0, node_crypto_1.createHmac)('sha256', this.secret).update(ev.raw).digest('hex')}`,
                    },
                    body: ev.raw,
                    signal: AbortSignal.timeout(this.timeoutMs),
                });
                status = res.status;
                await res.arrayBuffer().catch(() => undefined);
            }
            catch (e) {
                error = e instanceof Error ? e.message : String(e);
            }
            const ok = status !== null && status >= 200 && status < 300;
            // 400/401 mean the service looked at the event and refused it: resending the same bytes cannot help.
            const final = ok || status === 400 || status === 401 || attempt > this.retries;
            const outcome = ok ? 'delivered' : !final ? 'retrying' : status !== null && status < 500 ? 'rejected' : 'failed';
            this.log(ev, attempt, status, outcome, error);
            if (final)
                return;
            await sleep(this.backoffMs * 2 ** (attempt - 1));
        }
    }
    log(ev, attempt, status, outcome, error) {
        this.deliveries.push({ eventId: ev.eventId, type: ev.type, attempt, status, outcome, ...(error ? { error } : {}), at: new Date().toISOString() });
    }
}
exports.WebhookSender = WebhookSender;
function count(v, field) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
        throw (0, exports.bad)(`${field} must be a non-negative integer`);
    return v;
}
function flag(v, field) {
    if (typeof v !== 'boolean')
        throw (0, exports.bad)(`${field} must be a boolean`);
    return v;
}
function parseWebhookFaults(v) {
    if (!(0, exports.isObj)(v))
        throw (0, exports.bad)('webhooks must be an object');
    const f = {};
    if (v.mode !== undefined)
        f.mode = oneOf(v.mode, ['immediate', 'hold'], 'webhooks.mode');
    if (v.duplicate !== undefined)
        f.duplicate = flag(v.duplicate, 'webhooks.duplicate');
    if (v.reverse !== undefined)
        f.reverse = flag(v.reverse, 'webhooks.reverse');
    if (v.dropNext !== undefined)
        f.dropNext = count(v.dropNext, 'webhooks.dropNext');
    return f;
}
function simBase(source, opts, cfg) {
    const clock = opts.clock ?? (() => new Date());
    const now = () => clock().toISOString();
    const webhooks = new WebhookSender(source, { serviceUrl: opts.webhookUrl, secret: opts.secret });
    const defaults = { failNext: 0, failStatus: 503, timeoutNext: 0, hangMs: 30_000, ...cfg.faults };
    const faults = { ...defaults };
    const hung = new Set();
    const problem = (res, e) => sendJson(res, e.status, { title: e.title, status: e.status, detail: e.detail });
    const app = (0, express_1.default)();
    app.use(express_1.default.json({ limit: '1mb' }));
    app.get('/_state', (_req, res) => sendJson(res, 200, { ...cfg.dump(), faults, webhooks: webhooks.snapshot() }));
    app.post('/_faults', (req, res) => {
        const b = (0, exports.bodyOf)(req);
        try {
            // Validate everything before changing anything, so a bad request leaves the faults as they were.
            const next = { ...faults };
            for (const k of ['failNext', 'timeoutNext', 'hangMs'])
                if (b[k] !== undefined)
                    next[k] = count(b[k], k);
            if (b.failStatus !== undefined) {
                const s = count(b.failStatus, 'failStatus');
                if (s < 400 || s > 599)
                    throw (0, exports.bad)('failStatus must be an HTTP error status (400-599)');
                next.failStatus = s;
            }
            cfg.applyFaults(b, next);
            const wh = b.webhooks !== undefined ? parseWebhookFaults(b.webhooks) : {};
            Object.assign(faults, next);
            webhooks.configure(wh);
            sendJson(res, 200, { faults, webhooks: webhooks.config });
        }
        catch (e) {
            if (e instanceof HttpError)
                return problem(res, e);
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
    const router = express_1.default.Router();
    app.use(router);
    app.use((_req, res) => problem(res, (0, exports.notFound)('No such route')));
    app.use((err, _req, res, _next) => {
        if (err instanceof HttpError)
            return problem(res, err);
        const e = err;
        if (e?.type === 'entity.parse.failed')
            return problem(res, (0, exports.bad)('Request body is not valid JSON'));
        if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
            return problem(res, new HttpError(e.status, 'INVALID_REQUEST', e.message ?? 'Bad request'));
        problem(res, new HttpError(500, 'INTERNAL_ERROR', e?.message ?? String(err)));
    });
    /** A business route: subject to the faults; handlers return their reply instead of writing it. */
    const route = (method, path, handler) => router[method](path, async (req, res) => {
        if (faults.failNext > 0) {
            faults.failNext--;
            return problem(res, new HttpError(faults.failStatus, 'SIMULATED_FAILURE', 'Injected failure (failNext)'));
        }
        const hang = faults.timeoutNext > 0 ? (faults.timeoutNext--, faults.hangMs) : 0;
        let reply;
        try {
            reply = await handler(req);
        }
        catch (e) {
            if (!(e instanceof HttpError))
                throw e;
            reply = { status: e.status, body: { title: e.title, status: e.status, detail: e.detail } };
        }
        if (!hang)
            return sendJson(res, reply.status, reply.body);
        // The operation has happened; only its answer is late, as with a real upstream timing out.
        const t = setTimeout(() => {
            hung.delete(t);
            if (!res.socket?.destroyed)
                sendJson(res, reply.status, reply.body);
        }, hang);
        t.unref();
        hung.add(t);
    });
    /** Envelope events (everything except PSP refund events). */
    const emit = (type, data) => {
        const id = (0, node_crypto_1.randomUUID)();
        return webhooks.emit(type, { id, type, occurredAt: now(), data }, id);
    };
    const start = async (port) => {
        const served = await listen(app, port);
        return {
            url: served.url,
            close: async () => {
                for (const t of hung)
                    clearTimeout(t);
                hung.clear();
                await served.close();
            },
        };
    };
    return { app, webhooks, faults, clock, now, route, emit, start };
}
//# sourceMappingURL=http.js.map