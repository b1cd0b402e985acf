/**
 * The OMS module's write API: its mirror of orders, invoices and interactions, the OMS's copy of
 * invoiceData, and moneygraph's own copy (written only by the refund outcome transaction). Every
 * write runs inside the caller's transaction.
 */
import type { RequestContext } from '../../db/context';
import { insertIgnore, insertIgnoreLater, versionedUpsert } from '../../db/upsert';
import { InteractionSource, InvoiceDataCopy, InvoiceKind, OrderStatus } from './entities';

/** A return (INPUT) or sales (OUTPUT) invoice just recorded from the OMS, for the `invoiceRecorded` hook. */
export interface InvoiceRecorded {
  id: string;
  orderId: string;
  kind: 'INPUT' | 'OUTPUT';
  amountMinor: bigint;
  currency: string;
}

declare module '../../core/hooks' {
  interface HookMap<Tx> {
    /** A new invoice was recorded from the OMS (not a replay), inside the transaction that recorded it. */
    invoiceRecorded: (tx: Tx, invoice: InvoiceRecorded) => Promise<void>;
  }
}

export async function recordOrder(
  tx: RequestContext,
  o: { id: string; status: OrderStatus; currency: string; total: bigint; customerId?: string | null; createdAt: Date; version: bigint },
): Promise<void> {
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
      synced_at: tx.now,
      source_version: o.version,
    },
    ['id'],
  );
}

/** Records an invoice once; the first time, the `invoiceRecorded` hook runs in the same transaction. */
export async function recordInvoice(
  tx: RequestContext,
  i: { number: string; orderId: string; kind: InvoiceKind; amount: bigint; currency: string; issuedAt: Date; version?: bigint },
): Promise<void> {
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
}

/** An interaction the OMS reports (its own, or one of ours it echoes back). */
export async function recordOmsInteraction(
  tx: RequestContext,
  x: { id: string; orderId: string; kind: string; message: string; occurredAt: Date; refundId?: string | null },
): Promise<void> {
  await insertIgnore(tx, 'oms_interaction', {
    id: x.id,
    order_id: x.orderId,
    kind: x.kind,
    message: x.message,
    source: InteractionSource.OMS,
    refund_id: x.refundId ?? null,
    occurred_at: x.occurredAt,
  });
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
export async function writeInvoiceData(tx: RequestContext, orderId: string, invoiceId: string, refundedMinor: bigint, refundIds: string[]): Promise<void> {
  if (!tx.inTransaction) throw new Error('invoiceData changes only inside the refund outcome transaction');
  await tx.later(
    `INSERT INTO oms_invoice_data (order_id, invoice_id, copy, refunded_minor, refund_ids, updated_at, source_version)
     VALUES (?, ?, 'MONEYGRAPH', ?, ?, ?, 1)
     ON DUPLICATE KEY UPDATE refunded_minor = VALUES(refunded_minor), refund_ids = VALUES(refund_ids),
       updated_at = VALUES(updated_at), source_version = source_version + 1`,
    [orderId, invoiceId, refundedMinor.toString(), JSON.stringify(refundIds), tx.now],
  );
}

/** Adds an interaction written by moneygraph (e.g. "Refund Payment"); the id makes it idempotent. */
export async function addInteraction(tx: RequestContext, i: { id: string; orderId: string; kind: string; message: string; refundId?: string | null }): Promise<void> {
  await insertIgnoreLater(tx, 'oms_interaction', {
    id: i.id,
    order_id: i.orderId,
    kind: i.kind,
    message: i.message,
    source: InteractionSource.MONEYGRAPH,
    refund_id: i.refundId ?? null,
    occurred_at: tx.now,
  });
}
