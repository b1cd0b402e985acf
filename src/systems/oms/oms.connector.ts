/**
 * The OMS's HTTP API as moneygraph speaks it: read an order back (syncOrder), add a timeline
 * interaction and replace the OMS's copy of invoiceData (both from the outbox, both idempotent).
 */
import { z } from 'zod';
import { RequestContext } from '../../db/context';
import { HttpClient } from '../../shared/http-client';
import { currency, id, minorUnits, version } from '../../shared/payload';
import { ConnectorOptions, parseAnswer } from '../../shared/upstream-answer';
import type { OmsCapabilities, OmsInvoiceDataEntry, OmsOrderRecords, OmsPort } from './oms-port';

const wireMinor = minorUnits.transform((v) => v.toString());
const wireVersion = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,18}$/)]);

/** `order.upserted`'s `data.order` (docs/upstream-contracts.md); amounts stay digit strings for applyOmsEvent. */
const orderWire = z.looseObject({ id, currency, total: wireMinor, version: wireVersion });
/** `invoice.created`'s `data.invoice`. */
const invoiceWire = z.looseObject({ number: id, orderId: id, amount: wireMinor, currency });
/** `interaction.created`'s `data.interaction`. */
const interactionWire = z.looseObject({ id: z.string().min(1).max(128), orderId: id });
const invoiceDataEntry = z.object({ invoiceNumber: id, refunded: minorUnits, refundIds: z.array(z.string().max(64)).max(1000) });

const orderAnswer = z.object({
  order: orderWire,
  invoices: z.array(invoiceWire).max(10_000),
  interactions: z.array(interactionWire).max(100_000),
  invoiceData: z.object({ version, entries: z.array(invoiceDataEntry).max(1000) }),
});
const invoiceDataAnswer = z.object({ version, entries: z.array(invoiceDataEntry) });

/** The in-house OMS contract (docs/upstream-contracts.md): signed full records by webhook, and it keeps its own invoiceData copy. */
export class OmsConnector implements OmsPort {
  readonly kind = 'inhouse';
  readonly capabilities: OmsCapabilities = { keepsInvoiceData: true, refundsReturnInvoicesItself: false, events: 'push', pullFeed: false };
  readonly http: HttpClient;
  private readonly retries?: number;

  constructor(baseUrl: string | undefined, timeoutMs: number, opts: ConnectorOptions = {}) {
    this.http = new HttpClient('oms', baseUrl, timeoutMs, opts);
    this.retries = opts.retries;
  }

  /** GET /orders/:id; null when the OMS does not know the order. */
  async getOrder(ctx: RequestContext, orderId: string): Promise<OmsOrderRecords | null> {
    const res = await this.http.request(ctx, 'GET', `/orders/${encodeURIComponent(orderId)}`, undefined, { acceptStatuses: [404], retries: this.retries });
    if (res.status === 404) return null;
    const a = parseAnswer('oms', 'GET /orders/:id', orderAnswer, res.body);
    return {
      order: a.order,
      invoices: a.invoices,
      interactions: a.interactions,
      invoiceData: { version: a.invoiceData.version, entries: a.invoiceData.entries.map(toEntry) },
      ownRefunds: [],
    };
  }

  /** POST /orders/:id/interactions; the interaction id makes a retry return the first one. */
  async addInteraction(ctx: RequestContext, i: { id: string; orderId: string; kind: string; message: string; refundId?: string | null }): Promise<void> {
    await this.http.request(
      ctx,
      'POST',
      `/orders/${encodeURIComponent(i.orderId)}/interactions`,
      { id: i.id, kind: i.kind, message: i.message, refundId: i.refundId ?? null },
      { idempotencyKey: i.id, retries: this.retries },
    );
  }

  /** PUT /orders/:id/invoice-data: replaces the OMS's copy; the same key gets the same answer and changes nothing twice. */
  async putInvoiceData(
    ctx: RequestContext,
    orderId: string,
    entries: { invoiceNumber: string; refundedMinor: bigint; refundIds: string[] }[],
    idempotencyKey: string,
  ): Promise<{ version: bigint }> {
    const res = await this.http.request(
      ctx,
      'PUT',
      `/orders/${encodeURIComponent(orderId)}/invoice-data`,
      { entries: entries.map((e) => ({ invoiceNumber: e.invoiceNumber, refunded: e.refundedMinor.toString(), refundIds: e.refundIds })) },
      { idempotencyKey, retries: this.retries },
    );
    return { version: parseAnswer('oms', 'PUT /orders/:id/invoice-data', invoiceDataAnswer, res.body).version };
  }
}

const toEntry = (e: z.output<typeof invoiceDataEntry>): OmsInvoiceDataEntry => ({ invoiceNumber: e.invoiceNumber, refundedMinor: e.refunded, refundIds: e.refundIds });
