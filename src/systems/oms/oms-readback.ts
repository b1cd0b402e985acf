/**
 * The OMS's records of one order read back and applied through the webhook appliers: syncOrder's
 * OMS part, and how a thin notification (`order.changed`: VTEX's Orders Hook and Feed v3) is
 * applied — it names the order, never its contents, so the order is read again and diffed
 * against what is stored here (versions decide; invoices are recorded once). Refunds the OMS made
 * by itself are reported to the refund ledger through the `omsRefundReported` hook.
 */
import { z } from 'zod';
import type { RequestContext, WebhookApplier } from '../../db/context';
import { lockOrder, withTransaction } from '../../db/transaction';
import { NotApplicableYet } from '../../core/not-applicable-yet';
import { UpstreamError } from '../../shared/http-client';
import { envelope, id, parseOrThrow } from '../../shared/payload';
import type { OmsOrderRecords, OmsOwnRefund } from './oms-port';
import { applyOmsEvent, OMS_EVENT_TYPES } from './oms.ingest';
import { recordOmsInvoiceData } from './oms.store';

declare module '../../core/hooks' {
  interface HookMap<Tx> {
    /** A refund the OMS made by itself (refundsReturnInvoicesItself), read back with its order, inside the transaction that applies the order. */
    omsRefundReported: (tx: Tx, refund: OmsOwnRefund & { orderId: string }) => Promise<void>;
  }
}

const wrap = (type: string, data: unknown) => ({ type, data });

/** Applies what the OMS holds for an order, inside the caller's transaction (the order locked by the caller). */
export async function applyOmsRecords(tx: RequestContext, orderId: string, r: OmsOrderRecords): Promise<void> {
  await applyOmsEvent(tx, 'order.upserted', wrap('order.upserted', { order: r.order }));
  for (const invoice of r.invoices) await applyOmsEvent(tx, 'invoice.created', wrap('invoice.created', { invoice }));
  for (const interaction of r.interactions) await applyOmsEvent(tx, 'interaction.created', wrap('interaction.created', { interaction }));
  if (r.invoiceData) {
    const d = r.invoiceData;
    await recordOmsInvoiceData(
      tx,
      orderId,
      d.version,
      d.entries.map((e) => ({ invoiceId: e.invoiceNumber, refundedMinor: e.refundedMinor, refundIds: e.refundIds })),
    );
  }
  for (const refund of r.ownRefunds) await tx.app.hooks.emit('omsRefundReported', tx, { ...refund, orderId });
}

/** `order.changed`: a thin notification of an order change (VTEX's Orders Hook / Feed v3 item, stored as it came). */
const orderChanged = envelope('order.changed', z.object({ orderId: id, state: z.string().max(64), currentChange: z.string().max(40) }));

/**
 * Applying `order.changed` needs the OMS's own record, read outside any transaction: the event
 * waits ("oms-order:<id>") while the order is read back and applied, and is marked applied in the
 * same transaction. When the OMS cannot be asked now (down, throttled past the wait budget) it
 * stays WAITING and the webhook retry worker reads it again later: nothing is lost.
 */
function readBackOnChange(body: unknown): never {
  const { orderId, state } = parseOrThrow(orderChanged, body).data;
  throw new NotApplicableYet(`oms-order:${orderId}`, `order ${orderId} changed (${state}) in the OMS: read back and applied`, async (ctx, markApplied) => {
    let records: OmsOrderRecords | null;
    try {
      records = await ctx.app.connectors.oms.getOrder(ctx, orderId);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      ctx.log.warn({ orderId, err: err.message }, 'the OMS cannot be asked for the changed order now; it is read again later');
      return false;
    }
    await withTransaction(ctx, async (tx) => {
      if (records) {
        // The order row first (its insert is held by this transaction), then its lock.
        await applyOmsEvent(tx, 'order.upserted', wrap('order.upserted', { order: records.order }));
        await lockOrder(tx, orderId);
        await applyOmsRecords(tx, orderId, records);
      }
      await markApplied(tx, records ? `order read back (version ${records.order.version})` : 'the OMS does not know the order: nothing to apply');
    });
    return true;
  });
}

/** The OMS's webhook applier: the full records of the in-house contract, and thin `order.changed` notifications read back. */
export const omsWebhookApplier: WebhookApplier = {
  eventTypes: [...OMS_EVENT_TYPES, 'order.changed'],
  apply: (tx, type, body) => (type === 'order.changed' ? readBackOnChange(body) : applyOmsEvent(tx, type, body)),
};
