import { z } from 'zod';
import { RequestContext } from '../../db/context';
import { insertIgnore, versionedUpsert } from '../../db/upsert';
import { currency, envelope, id, isoTime, minorUnits, parseOrThrow, version } from '../../webhooks/payload';
import { InteractionSource, InvoiceDataCopy, InvoiceKind, OrderStatus } from './entities';

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

export const OMS_EVENT_TYPES = ['order.upserted', 'invoice.created', 'interaction.created', 'invoice_data.updated'] as const;

/** Applies one verified OMS event inside the caller's transaction. Returns the order it concerns. */
export async function applyOmsEvent(tx: RequestContext, type: string, body: unknown): Promise<string | null> {
  const now = tx.now;
  switch (type) {
    case 'order.upserted': {
      const { order: o } = parseOrThrow(orderUpserted, body).data;
      await versionedUpsert(
        tx,
        'oms_order',
        {
          id: o.id,
          status: o.status,
          currency: o.currency,
          total_minor: o.total,
          customer_id: o.customerId ?? null,
          created_at: o.createdAt,
          synced_at: now,
          source_version: o.version,
        },
        ['id'],
      );
      return o.id;
    }
    case 'invoice.created': {
      const { invoice: i } = parseOrThrow(invoiceCreated, body).data;
      const created = await insertIgnore(tx, 'oms_invoice', {
        id: i.number,
        order_id: i.orderId,
        kind: i.kind,
        amount_minor: i.amount,
        currency: i.currency,
        issued_at: i.issuedAt,
        source_version: i.version ?? 1n,
      });
      if (created) {
        await tx.app.hooks.emit('invoiceRecorded', tx, { id: i.number, orderId: i.orderId, kind: i.kind, amountMinor: i.amount, currency: i.currency });
      }
      return i.orderId;
    }
    case 'interaction.created': {
      const { interaction: x } = parseOrThrow(interactionCreated, body).data;
      await insertIgnore(tx, 'oms_interaction', {
        id: x.id,
        order_id: x.orderId,
        kind: x.kind,
        message: x.message,
        source: InteractionSource.OMS,
        refund_id: x.refundId ?? null,
        occurred_at: x.occurredAt,
      });
      return x.orderId;
    }
    case 'invoice_data.updated': {
      const d = parseOrThrow(invoiceDataUpdated, body).data;
      await recordOmsInvoiceData(tx, d.orderId, d.version, d.entries.map((e) => ({ invoiceId: e.invoiceNumber, refundedMinor: e.refunded, refundIds: e.refundIds })));
      return d.orderId;
    }
    default:
      return null;
  }
}

/** The OMS's own copy of invoiceData, as it reports it: kept beside ours, never merged into it. */
export async function recordOmsInvoiceData(
  tx: RequestContext,
  orderId: string,
  sourceVersion: bigint,
  entries: { invoiceId: string; refundedMinor: bigint; refundIds: string[] }[],
): Promise<void> {
  for (const e of entries) {
    await versionedUpsert(
      tx,
      'oms_invoice_data',
      {
        order_id: orderId,
        invoice_id: e.invoiceId,
        copy: InvoiceDataCopy.OMS,
        refunded_minor: e.refundedMinor,
        refund_ids: JSON.stringify(e.refundIds),
        updated_at: tx.now,
        source_version: sourceVersion,
      },
      ['order_id', 'invoice_id', 'copy'],
    );
  }
}

/**
 * moneygraph's own copy of invoiceData for one invoice, set from the refund ledger by the
 * transaction that records a refund's outcome (the only writer).
 */
export async function writeInvoiceData(
  tx: RequestContext,
  orderId: string,
  invoiceId: string,
  refundedMinor: bigint,
  refundIds: string[],
): Promise<void> {
  if (!tx.inTransaction) throw new Error('invoiceData changes only inside the refund outcome transaction');
  await tx.manager.query(
    `INSERT INTO oms_invoice_data (order_id, invoice_id, copy, refunded_minor, refund_ids, updated_at, source_version)
     VALUES (?, ?, 'MONEYGRAPH', ?, ?, ?, 1)
     ON DUPLICATE KEY UPDATE refunded_minor = VALUES(refunded_minor), refund_ids = VALUES(refund_ids),
       updated_at = VALUES(updated_at), source_version = source_version + 1`,
    [orderId, invoiceId, refundedMinor.toString(), JSON.stringify(refundIds), tx.now],
  );
}

/** Adds an interaction written by moneygraph (e.g. "Refund Payment"); the id makes it idempotent. */
export async function addInteraction(
  tx: RequestContext,
  i: { id: string; orderId: string; kind: string; message: string; refundId?: string | null },
): Promise<boolean> {
  return insertIgnore(tx, 'oms_interaction', {
    id: i.id,
    order_id: i.orderId,
    kind: i.kind,
    message: i.message,
    source: InteractionSource.MONEYGRAPH,
    refund_id: i.refundId ?? null,
    occurred_at: tx.now,
  });
}
