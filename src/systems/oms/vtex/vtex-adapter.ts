/**
 * The VTEX OMS adapter: reads an order from the Orders API and its payment transaction's refunds
 * from VTEX Payments, in canonical records; adds timeline interactions; reads and commits the
 * Feed v3. VTEX refunds a return (Input) invoice by itself, so this adapter declares
 * refundsReturnInvoicesItself and keeps no invoiceData copy. Every call carries the AppKey/AppToken
 * headers and a timeout; a 429 is waited out (Retry-After, up to maxThrottleWaitMs) and never
 * counts towards the circuit breaker, which opens only on unknown outcomes.
 */
import { z } from 'zod';
import type { OmsAdapterConfig } from '../../../config';
import type { RequestContext } from '../../../db/context';
import { HttpClient, UpstreamError, type RequestOptions, type UpstreamResponse } from '../../../shared/http-client';
import { ConnectorOptions, parseAnswer } from '../../../shared/upstream-answer';
import type { OmsOrderRecords } from '../oms-port';
import type { OmsCapabilities, OmsInteraction, OmsPort } from '../oms-port';
import { lastChangeVersion, matchRefunds, toCanonicalOrder, vtexOrderWire, vtexRefundsWire, type VtexOrder, type VtexRefund } from './vtex-records';

type VtexConfig = Extract<OmsAdapterConfig, { kind: 'vtex' }>;

/** One Feed v3 item: a thin notification of an order change, committed by its handle. */
export interface VtexFeedItem {
  handle: string;
  orderId: string;
  state: string;
  lastChange: string;
  currentChange: string;
}
const feedWire = z
  .array(
    z.looseObject({
      handle: z.string().min(1).max(1024),
      orderId: z.string().min(1).max(64),
      state: z.string().max(64),
      lastChange: z.string().max(40),
      currentChange: z.string().max(40),
    }),
  )
  .max(1000);

export class VtexOmsAdapter implements OmsPort {
  readonly kind = 'vtex';
  readonly capabilities: OmsCapabilities = { keepsInvoiceData: false, refundsReturnInvoicesItself: true, events: 'notify-and-read', pullFeed: true };
  /** The Orders API (and Feed v3). */
  readonly http: HttpClient;
  /** VTEX Payments. */
  readonly payments: HttpClient;
  private readonly retries?: number;

  constructor(
    readonly config: VtexConfig,
    timeoutMs: number,
    opts: ConnectorOptions = {},
  ) {
    const headers = { 'X-VTEX-API-AppKey': config.appKey, 'X-VTEX-API-AppToken': config.appToken };
    this.http = new HttpClient('oms', config.apiUrl, timeoutMs, { ...opts, headers });
    this.payments = new HttpClient('oms_payments', config.paymentsUrl, timeoutMs, { ...opts, headers });
    this.retries = opts.retries;
  }

  /**
   * GET /api/oms/pvt/orders/{orderId}, then each transaction's refunds; null when VTEX does not know
   * the order. A refund newer than the order read (its return invoice added in between) cannot be
   * matched against that read — it would match no return, or an older one of the same amount — so
   * the order is read once more and the refunds matched against it.
   */
  async getOrder(ctx: RequestContext, orderId: string): Promise<OmsOrderRecords | null> {
    const first = await this.readOrder(ctx, orderId);
    if (!first) return null;
    const refunds: { tid: string; list: VtexRefund[] }[] = [];
    for (const t of first.paymentData?.transactions ?? []) {
      const r = await this.call(this.payments, ctx, 'GET', `/api/pvt/transactions/${encodeURIComponent(t.transactionId)}/refunds`);
      refunds.push({ tid: t.transactionId, list: parseAnswer('oms', 'GET /api/pvt/transactions/{tid}/refunds', vtexRefundsWire, r.body) });
    }
    const match = (o: VtexOrder, currency: string) => refunds.flatMap((t) => matchRefunds(o, t.tid, t.list, currency));
    let o = first;
    let canonical = this.canonical(o);
    let own = match(o, canonical.order.currency);
    const readAt = lastChangeVersion(first.lastChange);
    const newer = refunds.some((t) => t.list.some((r) => r.date && lastChangeVersion(r.date) > readAt));
    if (newer || own.some((r) => r.status === 'SUCCEEDED' && r.invoiceNumber === null)) {
      o = (await this.readOrder(ctx, orderId)) ?? first;
      canonical = this.canonical(o);
      own = match(o, canonical.order.currency);
    }
    return { ...canonical, ownRefunds: own };
  }

  private async readOrder(ctx: RequestContext, orderId: string): Promise<VtexOrder | null> {
    const res = await this.call(this.http, ctx, 'GET', `/api/oms/pvt/orders/${encodeURIComponent(orderId)}`, undefined, { acceptStatuses: [404] });
    return res.status === 404 ? null : parseAnswer('oms', 'GET /api/oms/pvt/orders/{orderId}', vtexOrderWire, res.body);
  }

  private canonical(o: VtexOrder) {
    const c = toCanonicalOrder(o);
    if ('unsupportedCurrency' in c) throw new UpstreamError('oms', 'http', `oms order ${o.orderId}: currency "${c.unsupportedCurrency}" is not supported`, 502);
    return c;
  }

  /** POST /api/oms/pvt/orders/{orderId}/interactions {source, message}: VTEX has no key for it, so it is sent once, never retried. */
  async addInteraction(ctx: RequestContext, i: OmsInteraction): Promise<void> {
    await this.call(
      this.http,
      ctx,
      'POST',
      `/api/oms/pvt/orders/${encodeURIComponent(i.orderId)}/interactions`,
      { source: 'moneygraph', message: `${i.kind}: ${i.message}` },
      { retries: 0 },
    );
  }

  putInvoiceData(): Promise<{ version: bigint }> {
    return Promise.reject(new Error('VTEX keeps no invoiceData copy (capabilities.keepsInvoiceData is false): nothing is sent'));
  }

  /** GET /api/orders/feed: up to `max` items, invisible to other readers until committed or their visibility timeout ends. */
  async readFeed(ctx: RequestContext, max = 10): Promise<VtexFeedItem[]> {
    const res = await this.call(this.http, ctx, 'GET', `/api/orders/feed?maxlot=${max}`);
    return parseAnswer('oms', 'GET /api/orders/feed', feedWire, res.body ?? []);
  }

  /** POST /api/orders/feed {handles}: the items are done and leave the feed. */
  async commitFeed(ctx: RequestContext, handles: string[]): Promise<void> {
    if (handles.length === 0) return;
    await this.call(this.http, ctx, 'POST', '/api/orders/feed', { handles }, { idempotencyKey: `feed:${handles[0]}` });
  }

  /** One call, a 429 waited out for as long as Retry-After says and the budget allows; the breaker never sees a 429 (its outcome is known: nothing was done). */
  private async call(client: HttpClient, ctx: RequestContext, method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<UpstreamResponse> {
    let waited = 0;
    for (;;) {
      try {
        return await client.request(ctx, method, path, body, { retries: this.retries, ...opts });
      } catch (err) {
        if (!(err instanceof UpstreamError) || err.status !== 429) throw err;
        const wait = err.retryAfterMs ?? 1000;
        if (waited + wait > this.config.maxThrottleWaitMs) throw new UpstreamError(err.system, 'http', `${err.message} (throttled; waited ${waited} ms)`, 429, err.body, wait);
        await new Promise((r) => setTimeout(r, wait));
        waited += wait;
      }
    }
  }
}
