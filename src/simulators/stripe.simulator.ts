/**
 * Stripe simulator: the slice of Stripe's API moneygraph's Stripe adapter speaks, in Stripe's wire
 * format — form-encoded requests (`metadata[orderId]=…`), Bearer secret keys, `{ error: { type,
 * code, message } }` answers, idempotent replays for 24 hours, `idempotency_error` for a key reused
 * with other parameters, `idempotency_key_in_use` (409) while a key's first request runs, lists
 * with `has_more` / `starting_after` — driven by the real SDK pointed at it. Faults: refunds that
 * stay pending and are decided later, that fail after they succeeded (later, or right after a
 * succeeded answer), answers lost after the refund was made, 500s and requests never answered;
 * event faults are in stripe.sim-events.ts.
 */
import express, { type Request, type Response } from 'express';
import type Stripe from 'stripe';
import { isDeepStrictEqual } from 'node:util';
import { listen, newId, type Served } from './http-kit';
import { StripeEventStream } from './stripe.sim-events';
import { StripeBalance } from './stripe.sim-balance';

type StripeErr = { status: number; type: string; code?: string; message: string };
const fail = (status: number, type: string, message: string, code?: string): StripeErr => ({ status, type, message, code });
const isErr = (v: unknown): v is StripeErr => typeof v === 'object' && v !== null && 'type' in v && 'status' in v && 'message' in v;

const DAY_MS = 86_400_000;

export interface StripeSimOptions {
  /** The service's Stripe webhook endpoint (…/webhooks/psp/<adapter id>); unset → events are held. */
  webhookUrl?: string;
  webhookSecrets?: string[];
  clock?: () => Date;
}

export interface StripeSimFaults {
  /** The next N refunds are created pending (decided later with `decideRefund`). */
  pendingNext: number;
  /** The next N refunds are made, and then the connection is cut before the answer. */
  loseAnswerNext: number;
  /** The next N requests get a 500 before anything happens. */
  failNext: number;
  /** The next N requests are never answered (the client's timeout ends them); nothing happens. */
  stallNext: number;
  /** The next N refunds are answered succeeded, then fail at once (succeeded → failed, the bank returned them): only the events tell. */
  lateFailNext: number;
}

export function createStripeSimulator(opts: StripeSimOptions = {}) {
  const clock = opts.clock ?? (() => new Date());
  const secs = () => Math.floor(clock().getTime() / 1000);
  const paymentIntents = new Map<string, Stripe.PaymentIntent & { disputed?: boolean }>();
  const refunds = new Map<string, Stripe.Refund>();
  const idempotency = new Map<string, { params: unknown; at: number; status: number; body: unknown; route: string }>();
  /** Keys whose first request is still running. */
  const inProgress = new Set<string>();
  const faults: StripeSimFaults = { pendingNext: 0, loseAnswerNext: 0, failNext: 0, stallNext: 0, lateFailNext: 0 };
  const disputes = new Map<string, Record<string, unknown>>();
  const balance = new StripeBalance({ paymentIntent: (id) => paymentIntents.get(id), refund: (id) => refunds.get(id), dispute: (id) => disputes.get(id) }, secs);
  const events = new StripeEventStream(opts.webhookUrl, opts.webhookSecrets ?? ['whsec_simulator_secret'], clock);
  /** Every request as it arrived, for tests of the wire format. */
  const requests: { method: string; path: string; query: unknown; idempotencyKey: string | null; contentType: string | null; body: unknown }[] = [];

  const refunded = (pi: string) =>
    [...refunds.values()].filter((r) => r.payment_intent === pi && (r.status === 'succeeded' || r.status === 'pending')).reduce((s, r) => s + r.amount, 0);
  // Newest first, as Stripe lists them; within one second, the later one first (a stable sort of the reversed insertion order).
  const newestFirst = <T extends { created: number }>(list: T[]) => list.reverse().sort((a, b) => b.created - a.created);
  const refundsOf = (pi: string) => newestFirst([...refunds.values()].filter((r) => r.payment_intent === pi));

  function createPaymentIntent(p: { amount: number; currency: string; metadata?: Record<string, string>; id?: string }): Stripe.PaymentIntent {
    const pi = {
      id: p.id ?? newId('pi'),
      object: 'payment_intent',
      amount: p.amount,
      amount_received: p.amount,
      currency: p.currency.toLowerCase(),
      status: 'succeeded',
      created: secs(),
      latest_charge: newId('ch'),
      payment_method: newId('pm'),
      metadata: p.metadata ?? {},
      livemode: false,
    } as unknown as Stripe.PaymentIntent;
    paymentIntents.set(pi.id, pi);
    balance.charge(pi);
    return pi;
  }

  function createRefund(b: Record<string, unknown>): Stripe.Refund | StripeErr {
    const piId = typeof b.payment_intent === 'string' ? b.payment_intent : undefined;
    if (!piId) return fail(400, 'invalid_request_error', 'One of the following params should be provided for this request: payment_intent or charge.', 'parameter_missing');
    const pi = paymentIntents.get(piId);
    if (!pi) return fail(400, 'invalid_request_error', `No such payment_intent: '${piId}'`, 'resource_missing');
    if (pi.disputed) return fail(400, 'invalid_request_error', `Charge ${pi.latest_charge as string} has been charged back; cannot issue a refund.`, 'charge_disputed');
    const left = pi.amount_received - refunded(pi.id);
    if (left <= 0) return fail(400, 'invalid_request_error', `Charge ${pi.latest_charge as string} has already been refunded.`, 'charge_already_refunded');
    const amount = b.amount === undefined ? left : Number(b.amount);
    if (!Number.isSafeInteger(amount) || amount <= 0) return fail(400, 'invalid_request_error', 'Invalid positive integer', 'parameter_invalid_integer');
    if (amount > left) return fail(400, 'invalid_request_error', `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, 'amount_too_large');
    const pending = faults.pendingNext > 0 && (faults.pendingNext--, true);
    const r = {
      id: newId('re'),
      object: 'refund',
      amount,
      currency: pi.currency,
      payment_intent: pi.id,
      charge: pi.latest_charge,
      status: pending ? 'pending' : 'succeeded',
      reason: (b.reason as string) ?? null,
      metadata: (b.metadata as Record<string, string>) ?? {},
      created: secs(),
      failure_reason: null,
    } as unknown as Stripe.Refund;
    refunds.set(r.id, r);
    if (!pending) balance.refund(r);
    return r;
  }

  /** Decides a refund later, as Stripe does: pending → succeeded/failed, or succeeded → failed (the bank returned it). */
  async function decideRefund(id: string, status: 'succeeded' | 'failed' | 'canceled', failureReason: string | null = null): Promise<Stripe.Refund> {
    const r = refunds.get(id);
    if (!r) throw new Error(`no refund ${id}`);
    if (r.status === 'pending' && status === 'succeeded') balance.refund(r);
    if (r.status === 'succeeded' && status !== 'succeeded') balance.refundFailure(r);
    Object.assign(r, { status, failure_reason: status === 'failed' ? (failureReason ?? 'declined') : null });
    await events.emit('refund.updated', { ...r });
    if (status === 'failed') await events.emit('refund.failed', { ...r });
    return r;
  }

  const app = express();
  // Stripe's query strings nest as its form bodies do (expand[0]=…, arrival_date[gte]=…).
  app.set('query parser', 'extended');
  app.use(express.urlencoded({ extended: true }));
  const send = (res: Response, status: number, body: unknown) => res.status(status).type('application/json').send(JSON.stringify(body));
  const sendErr = (res: Response, e: StripeErr) => send(res, e.status, { error: { type: e.type, ...(e.code ? { code: e.code } : {}), message: e.message } });

  app.use((req: Request, res: Response, next) => {
    requests.push({
      method: req.method,
      path: req.path,
      query: req.query,
      idempotencyKey: req.get('idempotency-key') ?? null,
      contentType: req.get('content-type') ?? null,
      body: req.body,
    });
    if (!/^Bearer sk_(test|live)_\S+$/.test(req.get('authorization') ?? '')) return sendErr(res, fail(401, 'invalid_request_error', 'Invalid API Key provided'));
    if (faults.stallNext > 0) return void faults.stallNext--;
    if (faults.failNext > 0) {
      faults.failNext--;
      return sendErr(res, fail(500, 'api_error', 'Simulated server error'));
    }
    next();
  });

  /** A POST with Stripe's idempotency: the same key and parameters replay the first answer for 24 h; other parameters are an idempotency_error. */
  const idempotent = (route: string, handler: (b: Record<string, unknown>) => Promise<{ status: number; body: unknown }>) => async (req: Request, res: Response) => {
    const key = req.get('idempotency-key');
    const params = req.body ?? {};
    // A retry that arrives while the first request with its key still runs conflicts with it: nothing is done or saved.
    if (key && inProgress.has(key)) {
      return sendErr(
        res,
        fail(
          409,
          'invalid_request_error',
          `There is currently another in-progress request using this Idempotency Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
          'idempotency_key_in_use',
        ),
      );
    }
    const seen = key ? idempotency.get(key) : undefined;
    if (seen && clock().getTime() - seen.at < DAY_MS) {
      if (seen.route !== route || !isDeepStrictEqual(seen.params, params)) {
        return sendErr(
          res,
          fail(
            400,
            'idempotency_error',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ),
        );
      }
      res.set('Idempotent-Replayed', 'true');
      return send(res, seen.status, seen.body);
    }
    if (key) inProgress.add(key);
    let out: { status: number; body: unknown };
    try {
      out = await handler(params);
      if (key && out.status < 500) idempotency.set(key, { params, at: clock().getTime(), status: out.status, body: out.body, route });
    } finally {
      if (key) inProgress.delete(key);
    }
    if (faults.loseAnswerNext > 0 && out.status < 300) {
      faults.loseAnswerNext--;
      return void req.socket.destroy();
    }
    send(res, out.status, out.body);
  };
  const answer = (v: unknown) =>
    isErr(v) ? { status: v.status, body: { error: { type: v.type, ...(v.code ? { code: v.code } : {}), message: v.message } } } : { status: 200, body: v };

  app.post(
    '/v1/payment_intents',
    idempotent('pi', async (b) => {
      const pi = createPaymentIntent({ amount: Number(b.amount), currency: String(b.currency ?? 'eur'), metadata: b.metadata as Record<string, string> });
      await events.emit('payment_intent.succeeded', { ...pi });
      return answer(pi);
    }),
  );
  app.get('/v1/payment_intents/search', (req, res) => {
    const m = /^metadata\['(\w+)'\]:'((?:[^'\\]|\\.)*)'$/.exec(String(req.query.query ?? ''));
    if (!m) return sendErr(res, fail(400, 'invalid_request_error', "Only metadata['key']:'value' queries are simulated"));
    const value = m[2]!.replace(/\\(.)/g, '$1');
    const expand = ([] as unknown[]).concat(req.query.expand ?? []).map(String);
    const data = [...paymentIntents.values()]
      .filter((p) => p.metadata?.[m[1]!] === value)
      .map(({ disputed, ...p }) =>
        expand.includes('data.latest_charge') ? { ...p, latest_charge: { id: p.latest_charge, object: 'charge', payment_intent: p.id, disputed: Boolean(disputed) } } : p,
      );
    send(res, 200, { object: 'search_result', data, has_more: false, url: '/v1/payment_intents/search' });
  });
  app.post(
    '/v1/refunds',
    idempotent('refund', async (b) => {
      const r = createRefund(b);
      if (isErr(r)) return answer(r);
      const answered = { ...r };
      await events.emit('refund.created', { ...r });
      if (r.status === 'succeeded' && faults.lateFailNext > 0) {
        faults.lateFailNext--;
        await decideRefund(r.id, 'failed', 'declined');
      }
      return answer(answered);
    }),
  );
  app.get('/v1/refunds', (req, res) => {
    const pi = typeof req.query.payment_intent === 'string' ? req.query.payment_intent : undefined;
    const all = pi ? refundsOf(pi) : newestFirst([...refunds.values()]);
    const limit = Math.min(100, Math.max(1, Number(req.query.limit ?? 10)));
    const after = typeof req.query.starting_after === 'string' ? all.findIndex((r) => r.id === req.query.starting_after) : -1;
    if (typeof req.query.starting_after === 'string' && after < 0)
      return sendErr(res, fail(400, 'invalid_request_error', `No such refund: '${req.query.starting_after}'`, 'resource_missing'));
    const page = all.slice(after + 1, after + 1 + limit);
    send(res, 200, { object: 'list', data: page, has_more: after + 1 + limit < all.length, url: '/v1/refunds' });
  });
  app.get('/v1/refunds/:id', (req, res) => {
    const r = refunds.get(String(req.params.id));
    if (!r) return sendErr(res, fail(404, 'invalid_request_error', `No such refund: '${String(req.params.id)}'`, 'resource_missing'));
    send(res, 200, r);
  });
  balance.routes(app, send, (res, message) => sendErr(res, fail(404, 'invalid_request_error', message, 'resource_missing')));
  app.use((_req: Request, res: Response) => sendErr(res, fail(404, 'invalid_request_error', 'Unrecognized request URL')));

  return {
    app,
    paymentIntents,
    refunds,
    idempotency,
    faults,
    events,
    balance,
    disputes,
    requests,
    decideRefund,
    /** A succeeded payment intent, made and announced (payment_intent.succeeded) as a checkout would. */
    async pay(p: { amount: number; currency: string; orderId?: string }): Promise<Stripe.PaymentIntent> {
      const pi = createPaymentIntent({ amount: p.amount, currency: p.currency, metadata: p.orderId ? { orderId: p.orderId } : {} });
      await events.emit('payment_intent.succeeded', { ...pi });
      return pi;
    },
    /** The customer's bank disputes the payment: refunds are refused from now on. */
    async dispute(piId: string): Promise<void> {
      const pi = paymentIntents.get(piId);
      if (!pi) throw new Error(`no payment intent ${piId}`);
      pi.disputed = true;
      const d = {
        id: newId('dp'),
        object: 'dispute',
        payment_intent: pi.id,
        charge: pi.latest_charge,
        amount: pi.amount,
        currency: pi.currency,
        reason: 'fraudulent',
        status: 'needs_response',
        created: secs(),
      };
      disputes.set(d.id, d);
      balance.dispute(d);
      await events.emit('charge.dispute.created', { ...d });
    },
    /** Stripe pays out everything available in `currency` (lowercase), announced as payout.paid; null when nothing is due. */
    async payout(currency: string): Promise<Stripe.Payout | null> {
      const p = balance.payout(currency.toLowerCase());
      if (p) await events.emit('payout.paid', { ...p });
      return p;
    },
    start: (port?: number): Promise<Served> => listen(app, port),
  };
}

export type StripeSimulator = ReturnType<typeof createStripeSimulator>;
