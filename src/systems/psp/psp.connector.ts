/**
 * The in-house PSP adapter: the PSP's HTTP API as moneygraph speaks it: the refund API of seed 004 and the order read-back
 * used by syncOrder. Every answer is validated with zod and amounts become bigint at once.
 * A refund outcome is only ever reported as known when the PSP said so.
 */
import { z } from 'zod';
import { RequestContext, assertNoTransaction } from '../../db/context';
import { ErrorCode } from '../../shared/errors';
import { HttpClient, UpstreamError } from '../../shared/http-client';
import { currency, id, isoTime, minorUnits } from '../../shared/payload';
import { ConnectorOptions, parseAnswer } from '../../shared/upstream-answer';
import { canonicalRefundError, canonicalWebhookError } from './psp-errors';
import type { PspRefund } from './psp-refund';
import type { CreateRefundRequest, PspCapabilities, PspOrderRecords, PspPort, PspRefundLookup, PspRefundResult } from './psp-port';
import { HmacWebhookPort } from './psp-hmac-webhooks';

const text = z
  .string()
  .max(191)
  .nullish()
  .transform((v) => v ?? null);

const refundRecord = z
  .object({
    refundId: id,
    merchantTransactionId: z.string().min(1).max(191),
    status: z.enum(['SUCCEEDED', 'FAILED', 'REVERSED']),
    amount: minorUnits.nullish(),
    currency: currency.nullish(),
    paymentId: text,
    paymentMethodId: text,
    orderId: text,
    invoiceNumber: text,
    error: z.object({ code: z.string().nullish(), description: z.string().nullish() }).nullish(),
    createdAt: isoTime.nullish(),
    version: z
      .union([z.number().int().nonnegative(), z.string().regex(/^\d{1,18}$/)])
      .transform((v) => BigInt(v))
      .optional(),
  })
  .transform((r, c): PspRefund => {
    if (r.status !== 'FAILED' && (r.amount == null || r.currency == null)) {
      c.addIssue({ code: 'custom', message: 'a refund that moved money must have amount and currency' });
    }
    return {
      pspRefundId: r.refundId,
      merchantTransactionId: r.merchantTransactionId,
      status: r.status,
      amountMinor: r.status === 'FAILED' ? null : (r.amount ?? null),
      currency: r.currency ?? null,
      paymentId: r.paymentId,
      paymentMethodId: r.paymentMethodId,
      errorCode: r.status === 'FAILED' ? canonicalWebhookError(r.error) : null,
      errorMessage: r.status === 'FAILED' ? (r.error?.description ?? null) : null,
      raw: r,
      orderId: r.orderId,
      invoiceNumber: r.invoiceNumber,
      occurredAt: r.createdAt ?? null,
      // The synchronous answer carries no version: it is the record as created, version 1.
      version: r.version ?? 1n,
    };
  });

const problem = z.object({ title: z.string().optional(), status: z.number().optional(), detail: z.string().optional() });
const refundList = z.object({ refunds: z.array(z.unknown()).max(10_000) });

/** Minor units validated as such, kept as the contract's digit string so the webhook appliers can take them. */
const wireMinor = minorUnits.transform((v) => v.toString());
/** `payment.upserted`'s `data.payment` (docs/upstream-contracts.md). */
const paymentWire = z.looseObject({ id, authorized: wireMinor, currency, version: z.union([z.number(), z.string()]) });
/** `capture.created`'s `data.capture`. */
const captureWire = z.looseObject({ id, paymentId: id, amount: wireMinor, currency });
const orderRecords = z.object({ payments: z.array(paymentWire), captures: z.array(captureWire), refunds: z.array(z.unknown()) });

/**
 * A 4xx is a definite "the PSP did nothing" — except 408/429 (not processed yet, maybe later) and
 * 409 (a request with the same Idempotency-Key is still in progress), whose outcome is unknown.
 */
const DEFINITE_4XX = Array.from({ length: 100 }, (_, i) => 400 + i).filter((s) => s !== 408 && s !== 409 && s !== 429);

/** The in-house contract looks a refund up by our key itself, replays a key for ever and answers a refund's outcome at once. */
const IN_HOUSE_CAPABILITIES: PspCapabilities = Object.freeze({ refundLookup: 'native', idempotencyWindowMs: null, syncRefundAnswer: 'final' });

export class PspConnector implements PspPort {
  readonly http: HttpClient;
  readonly kind = 'inhouse';
  readonly capabilities = IN_HOUSE_CAPABILITIES;
  readonly webhooks: HmacWebhookPort;
  private readonly retries?: number;

  constructor(
    baseUrl: string | undefined,
    timeoutMs: number,
    opts: ConnectorOptions = {},
    readonly id = 'inhouse',
    webhookSecret = '',
  ) {
    this.http = new HttpClient('psp', baseUrl, timeoutMs, opts);
    this.retries = opts.retries;
    this.webhooks = new HmacWebhookPort('PSP', webhookSecret);
  }

  /**
   * POST /refunds with Idempotency-Key = merchantTransactionId: a retry after a lost answer can
   * only meet the same refund again (answered as `already-exists`), never create a second one.
   */
  async createRefund(ctx: RequestContext, req: CreateRefundRequest): Promise<PspRefundResult> {
    assertNoTransaction(ctx, 'psp createRefund');
    const body = {
      paymentId: req.paymentId,
      paymentMethodId: req.paymentMethodId,
      amount: req.amountMinor?.toString(),
      currency: req.currency,
      merchantTransactionId: req.merchantTransactionId,
      reason: req.reason,
      customer: req.customer,
      metadata: req.metadata,
    };
    let res;
    try {
      res = await this.http.request(ctx, 'POST', '/refunds', body, {
        idempotencyKey: req.merchantTransactionId,
        acceptStatuses: DEFINITE_4XX,
        retries: this.retries,
      });
    } catch (err) {
      if (err instanceof UpstreamError) return { kind: 'unknown', reason: err.message };
      throw err;
    }
    if (res.status >= 400) {
      const p = problem.safeParse(res.body);
      const answer = p.success ? p.data : {};
      const code = canonicalRefundError(answer);
      if (code === ErrorCode.DUPLICATE_MERCHANT_TRANSACTION) return { kind: 'already-exists' };
      return { kind: 'rejected', code, message: answer.detail?.trim() || answer.title || `PSP answered HTTP ${res.status}`, raw: res.body };
    }
    const r = refundRecord.safeParse(res.body);
    if (!r.success) return { kind: 'unknown', reason: `psp POST /refunds: unreadable answer (${r.error.issues[0]?.message ?? 'invalid'})` };
    if (r.data.merchantTransactionId !== req.merchantTransactionId) {
      return { kind: 'unknown', reason: 'psp POST /refunds: answer is for another merchantTransactionId' };
    }
    return { kind: 'succeeded', record: { ...r.data, raw: res.body } };
  }

  /** GET /refunds?merchantTransactionId=: the refund the PSP holds under that key, or null. Throws UpstreamError when unreachable. */
  async findRefund(ctx: RequestContext, merchantTransactionId: string): Promise<PspRefund | null> {
    const res = await this.http.request(ctx, 'GET', `/refunds?merchantTransactionId=${encodeURIComponent(merchantTransactionId)}`, undefined, { retries: this.retries });
    const refunds = parseAnswer('psp', 'GET /refunds', refundList, res.body).refunds.map((x) => parseRefund(x));
    // The PSP keeps one refund per key; anything else answered is not ours.
    return refunds.find((r) => r.merchantTransactionId === merchantTransactionId) ?? null;
  }

  /** The port's lookup: the in-house PSP decides a refund at once, so it holds a record or nothing. */
  async lookupRefund(ctx: RequestContext, merchantTransactionId: string): Promise<PspRefundLookup> {
    const record = await this.findRefund(ctx, merchantTransactionId);
    return record ? { state: 'recorded', record } : { state: 'absent' };
  }

  /** GET /refunds/:refundId: the PSP's record of one refund, or null when it holds none. Throws UpstreamError when unreachable. */
  async getRefund(ctx: RequestContext, pspRefundId: string): Promise<PspRefund | null> {
    const res = await this.http.request(ctx, 'GET', `/refunds/${encodeURIComponent(pspRefundId)}`, undefined, { retries: this.retries, acceptStatuses: [404] });
    if (res.status === 404) return null;
    return parseRefund(res.body);
  }

  /**
   * GET /orders/:id/payments: everything the PSP holds for an order. Payments and captures come
   * back in the webhook contract's shapes (validated), so syncOrder feeds them to the webhook appliers.
   */
  async getOrderRecords(ctx: RequestContext, orderId: string): Promise<PspOrderRecords> {
    const res = await this.http.request(ctx, 'GET', `/orders/${encodeURIComponent(orderId)}/payments`, undefined, { retries: this.retries });
    const body = parseAnswer('psp', 'GET /orders/:id/payments', orderRecords, res.body);
    return { payments: body.payments, captures: body.captures, refunds: body.refunds.map((x) => parseRefund(x)) };
  }
}

function parseRefund(x: unknown): PspRefund {
  return { ...parseAnswer('psp', 'refund record', refundRecord, x), raw: x };
}
