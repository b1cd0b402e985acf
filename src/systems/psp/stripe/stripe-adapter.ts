/**
 * The Stripe PSP adapter, through the official SDK. Refunds are `POST /v1/refunds` on the payment
 * intent with `Idempotency-Key` = our merchantTransactionId and that key, the order and the
 * invoice in the refund's metadata. Stripe replays a key for 24 hours only, so a refund first sent
 * longer ago than that is looked up first (the payment intent's refunds, matched by metadata) and
 * never posted blindly. A refund Stripe has not decided (pending, requires_action) is not an outcome.
 */
import Stripe from 'stripe';
import type { PspAdapterConfig } from '../../../config';
import { RequestContext, assertNoTransaction } from '../../../db/context';
import { ErrorCode } from '../../../shared/errors';
import { UpstreamError } from '../../../shared/http-client';
import { type FailureReading, UpstreamGuard } from '../../../shared/upstream-guard';
import type { ConnectorOptions } from '../../../shared/upstream-answer';
import { canonicalVendorError } from '../psp-errors';
import type { PspRefund } from '../psp-refund';
import type { CreateRefundRequest, PspCapabilities, PspOrderRecords, PspPort, PspRefundLookup, PspRefundResult, PspSettlementRecord, RefundAttempt } from '../psp-port';
import { StripePayouts } from './stripe-payouts';
import { META, captureWire, isDecided, paymentWire, refundRecord, undecidedRecord } from './stripe-records';
import { StripeWebhookPort } from './stripe-webhooks';

const DAY_MS = 86_400_000;
/** A retry this long after the first send looks the refund up first: an hour short of Stripe's 24 h, for clock skew and slow retries. */
const LOOK_UP_FIRST_AFTER_MS = DAY_MS - 3_600_000;
/** The most refunds one payment intent is scanned for (100 pages of 100). */
const MAX_SCAN_PAGES = 100;

const CAPABILITIES: PspCapabilities = Object.freeze({ refundLookup: 'metadata-scan', idempotencyWindowMs: DAY_MS, syncRefundAnswer: 'accepted' });

type StripeConfig = Extract<PspAdapterConfig, { kind: 'stripe' }>;

function stripeReason(reason: string): 'duplicate' | 'fraudulent' | 'requested_by_customer' {
  const r = reason.toUpperCase();
  return r.includes('DUPLICATE') ? 'duplicate' : r.includes('FRAUD') ? 'fraudulent' : 'requested_by_customer';
}

/** Whether Stripe may have acted: no answer, a 5xx, a rate limit or a lock on the same key (409). */
function outcomeUnknown(err: Stripe.errors.StripeError): boolean {
  const s = err.statusCode ?? 0;
  return !s || s >= 500 || s === 429 || s === 409 || s === 408 || err.type === 'StripeConnectionError' || err.type === 'StripeAPIError';
}

const isTimeout = (err: Stripe.errors.StripeError) => err.type === 'StripeConnectionError' && /timeout/i.test(err.message);

/**
 * Stripe's failures as the guard reads them, as the in-house client's are: no answer (timeout,
 * connection) and 5xx count towards the breaker and are retried; a 4xx, 409 and 429 included, is an answer.
 */
const STRIPE_FAILURES: FailureReading = {
  outcome: (err) => {
    if (!(err instanceof Stripe.errors.StripeError)) return 'network';
    if (err.type === 'StripeConnectionError' || !err.statusCode) return isTimeout(err) ? 'timeout' : 'network';
    return err.statusCode >= 500 ? 'http_5xx' : 'http_4xx';
  },
  unknown: (err) => err instanceof Stripe.errors.StripeError && (err.type === 'StripeConnectionError' || !err.statusCode || err.statusCode >= 500),
};

export class StripePspAdapter implements PspPort {
  readonly kind = 'stripe';
  readonly capabilities = CAPABILITIES;
  readonly id: string;
  readonly stripe: Stripe;
  readonly webhooks: StripeWebhookPort;
  /** The breaker and metrics of this instance's calls (system `psp:<id>`). */
  readonly upstream: UpstreamGuard;
  private readonly retries: number;
  private readonly payouts: StripePayouts;

  constructor(cfg: StripeConfig, timeoutMs: number, opts: ConnectorOptions = {}) {
    this.id = cfg.id;
    this.retries = opts.retries ?? 2;
    this.upstream = new UpstreamGuard(`psp:${cfg.id}`, STRIPE_FAILURES, opts);
    const api = cfg.apiUrl ? new URL(cfg.apiUrl) : null;
    this.stripe = new Stripe(cfg.secretKey, {
      // Each attempt's own timeout, as UPSTREAM_TIMEOUT_MS gives every connector.
      timeout: timeoutMs,
      // No retries inside the SDK: they would be invisible to the breaker and the metrics (one
      // observation for several attempts, a dead Stripe counted once per call). The guard retries
      // instead, every attempt through the breaker, with the same Idempotency-Key on a POST.
      maxNetworkRetries: 0,
      telemetry: false,
      ...(api ? { host: api.hostname, port: api.port || (api.protocol === 'http:' ? 80 : 443), protocol: api.protocol === 'http:' ? ('http' as const) : ('https' as const) } : {}),
    });
    this.payouts = new StripePayouts(this.stripe, (what, fn, nullOn404) => this.call(what, fn, nullOn404));
    this.webhooks = new StripeWebhookPort(this.id, this.stripe, cfg.webhookSecrets, cfg.webhookToleranceSeconds);
  }

  async createRefund(ctx: RequestContext, req: CreateRefundRequest, attempt?: RefundAttempt): Promise<PspRefundResult> {
    assertNoTransaction(ctx, 'psp createRefund');
    if (!req.paymentId) return { kind: 'rejected', code: ErrorCode.PAYMENT_IDENTIFIER_REQUIRED, message: 'Stripe refunds need the payment intent (paymentId)', raw: null };
    const key = req.merchantTransactionId;
    if (attempt?.firstSentAt && ctx.now.getTime() - attempt.firstSentAt.getTime() >= LOOK_UP_FIRST_AFTER_MS) {
      // Past the idempotency window a second POST would be a second refund: find the first one.
      let found: PspRefundLookup;
      try {
        found = await this.lookupRefund(ctx, key, req.paymentId);
      } catch (err) {
        if (err instanceof UpstreamError) return { kind: 'unknown', reason: err.message };
        throw err;
      }
      if (found.state === 'recorded') return { kind: 'succeeded', record: found.record };
      if (found.state === 'pending') return { kind: 'pending', pspRefundId: found.pspRefundId, raw: null };
    }
    const metadata: Record<string, string> = { [META.key]: key };
    if (req.metadata?.orderId) metadata[META.order] = req.metadata.orderId;
    if (req.metadata?.invoiceNumber) metadata[META.invoice] = req.metadata.invoiceNumber;
    let refund: Stripe.Refund;
    try {
      const params = { payment_intent: req.paymentId, ...(req.amountMinor !== undefined ? { amount: Number(req.amountMinor) } : {}), reason: stripeReason(req.reason), metadata };
      // Safe to retry: every attempt carries the same Idempotency-Key.
      refund = await this.guarded('POST', this.retries, () => this.stripe.refunds.create(params, { idempotencyKey: key }));
    } catch (err) {
      if (err instanceof UpstreamError && err.kind === 'circuit-open') return { kind: 'unknown', reason: err.message };
      if (!(err instanceof Stripe.errors.StripeError)) throw err;
      if (outcomeUnknown(err)) return { kind: 'unknown', reason: `stripe POST /v1/refunds: ${err.message}` };
      // The key was used with other parameters: an earlier attempt made a refund; adopt it.
      if (err.type === 'StripeIdempotencyError') return { kind: 'already-exists' };
      return { kind: 'rejected', code: canonicalVendorError(err.code, err.message), message: err.message, raw: err.raw };
    }
    if (refund.metadata?.[META.key] !== key) return { kind: 'unknown', reason: 'stripe POST /v1/refunds: answer is for another merchantTransactionId' };
    if (!isDecided(refund)) return { kind: 'pending', pspRefundId: refund.id, raw: refund };
    return { kind: 'succeeded', record: refundRecord(refund, this.id) };
  }

  async lookupRefund(ctx: RequestContext, merchantTransactionId: string, paymentId: string | null): Promise<PspRefundLookup> {
    assertNoTransaction(ctx, 'psp lookupRefund');
    // Stripe cannot look a refund up by our key: scan the payment intent's refunds for it.
    if (!paymentId) return { state: 'absent' };
    let startingAfter: string | undefined;
    for (let page = 0; page < MAX_SCAN_PAGES; page++) {
      const list = await this.call('GET /v1/refunds', () =>
        this.stripe.refunds.list({ payment_intent: paymentId, limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) }),
      );
      const mine = list.data.find((r) => r.metadata?.[META.key] === merchantTransactionId);
      if (mine) return isDecided(mine) ? { state: 'recorded', record: refundRecord(mine, this.id) } : { state: 'pending', pspRefundId: mine.id };
      if (!list.has_more || list.data.length === 0) return { state: 'absent' };
      startingAfter = list.data[list.data.length - 1]!.id;
    }
    throw new UpstreamError('psp', 'http', `stripe: payment intent ${paymentId} has more than ${MAX_SCAN_PAGES * 100} refunds to scan`, 502);
  }

  async getRefund(ctx: RequestContext, pspRefundId: string): Promise<PspRefund | null> {
    assertNoTransaction(ctx, 'psp getRefund');
    const r = await this.call('GET /v1/refunds/:id', () => this.stripe.refunds.retrieve(pspRefundId), true);
    return r && isDecided(r) ? refundRecord(r, this.id) : null;
  }

  /** The order's payment intents (by metadata.orderId), their captures and decided refunds, and the refunds Stripe has not decided yet. */
  async getOrderRecords(ctx: RequestContext, orderId: string): Promise<PspOrderRecords> {
    assertNoTransaction(ctx, 'psp getOrderRecords');
    const query = `metadata['${META.order}']:'${orderId.replace(/['\\]/g, '\\$&')}'`;
    const found = await this.call('GET /v1/payment_intents/search', () => this.stripe.paymentIntents.search({ query, limit: 100, expand: ['data.latest_charge'] }));
    // In milliseconds: a read-back in the same second as the payment's event still counts as newer (the event's time is whole seconds).
    const observedAt = ctx.now.getTime();
    const out: PspOrderRecords = { payments: [], captures: [], refunds: [], undecided: [] };
    for (const pi of found.data) {
      out.payments.push(paymentWire(pi, this.id, observedAt));
      const cap = captureWire(pi);
      if (cap) out.captures.push(cap);
      const refunds = await this.call('GET /v1/refunds', () => this.stripe.refunds.list({ payment_intent: pi.id, limit: 100 }));
      out.refunds.push(...refunds.data.filter(isDecided).map((r) => refundRecord(r, this.id)));
      out.undecided!.push(...refunds.data.filter((r) => !isDecided(r)).map(undecidedRecord));
    }
    return out;
  }

  async getSettlement(ctx: RequestContext, payoutId: string): Promise<PspSettlementRecord | null> {
    assertNoTransaction(ctx, 'psp getSettlement');
    return this.payouts.settlement(payoutId);
  }

  async listSettlements(ctx: RequestContext, since: Date): Promise<string[]> {
    assertNoTransaction(ctx, 'psp listSettlements');
    return this.payouts.paidSince(since);
  }

  /** One SDK call through the guard (breaker, retries, metrics); an open circuit is an UpstreamError('circuit-open'). */
  private guarded<T>(method: string, retries: number, fn: () => Promise<T>): Promise<T> {
    return this.upstream.run(method, retries, fn, () => new UpstreamError('psp', 'circuit-open', `stripe (${this.id}) is unavailable (circuit open)`));
  }

  /** A read, through the guard: Stripe's failures become UpstreamError, as every connector's do; a 404 is null when asked for. */
  private async call<T>(what: string, fn: () => Promise<T>, nullOn404 = false): Promise<T> {
    try {
      return await this.guarded('GET', this.retries, fn);
    } catch (err) {
      if (err instanceof UpstreamError) throw err;
      if (!(err instanceof Stripe.errors.StripeError)) throw err;
      if (nullOn404 && err.statusCode === 404) return null as T;
      const kind = isTimeout(err) ? 'timeout' : err.type === 'StripeConnectionError' ? 'network' : 'http';
      throw new UpstreamError('psp', kind, `stripe ${what}: ${err.message}`, err.statusCode ?? undefined, err.raw);
    }
  }
}
