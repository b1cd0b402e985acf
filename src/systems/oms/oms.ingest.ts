/**
 * OMS webhook ingestion: the contract of each event type, parsed, then written through the store.
 * The same appliers take the OMS's records read back by syncOrder.
 */
import { z } from 'zod';
import type { RequestContext } from '../../db/context';
import { currency, envelope, id, isoTime, minorUnits, parseOrThrow, version } from '../../shared/payload';
import { InvoiceKind, OrderStatus } from './entities';
import { recordInvoice, recordOmsInteraction, recordOmsInvoiceData, recordOrder } from './oms.store';

const orderUpserted = envelope(
  'order.upserted',
  z.object({
    order: z.object({
      id,
      status: z.nativeEnum(OrderStatus),
      currency,
      total: minorUnits,
      customerId: id.nullable().optional(),
      createdAt: isoTime,
      version,
    }),
  }),
);

const invoiceCreated = envelope(
  'invoice.created',
  z.object({
    invoice: z.object({ number: id, orderId: id, kind: z.nativeEnum(InvoiceKind), amount: minorUnits, currency, issuedAt: isoTime, version: version.optional() }),
  }),
);

const interactionCreated = envelope(
  'interaction.created',
  z.object({
    interaction: z.object({
      id: z.string().min(1).max(128),
      orderId: id,
      kind: z.string().min(1).max(64),
      message: z.string().max(1024),
      occurredAt: isoTime,
      refundId: id.nullable().optional(),
    }),
  }),
);

const invoiceDataUpdated = envelope(
  'invoice_data.updated',
  z.object({
    orderId: id,
    version,
    entries: z.array(z.object({ invoiceNumber: id, refunded: minorUnits, refundIds: z.array(z.string().max(64)).max(1000) })).max(1000),
  }),
);

const OMS_EVENT_TYPES = ['order.upserted', 'invoice.created', 'interaction.created', 'invoice_data.updated'] as const;

/** Applies one verified OMS event inside the caller's transaction. Returns the order it concerns. */
export async function applyOmsEvent(tx: RequestContext, type: string, body: unknown): Promise<string | null> {
  switch (type) {
    case 'order.upserted': {
      const { order } = parseOrThrow(orderUpserted, body).data;
      await recordOrder(tx, order);
      return order.id;
    }
    case 'invoice.created': {
      const { invoice } = parseOrThrow(invoiceCreated, body).data;
      await recordInvoice(tx, invoice);
      return invoice.orderId;
    }
    case 'interaction.created': {
      const { interaction } = parseOrThrow(interactionCreated, body).data;
      await recordOmsInteraction(tx, interaction);
      return interaction.orderId;
    }
    case 'invoice_data.updated': {
      const d = parseOrThrow(invoiceDataUpdated, body).data;
      await recordOmsInvoiceData(
        tx,
        d.orderId,
        d.version,
        d.entries.map((e) => ({ invoiceId: e.invoiceNumber, refundedMinor: e.refunded, refundIds: e.refundIds })),
      );
      return d.orderId;
    }
    default:
      return null;
  }
}

export { OMS_EVENT_TYPES };
