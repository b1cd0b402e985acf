/**
 * Start-up wiring of the refunds use case: PSP refund events and new INPUT invoices (hooks inside
 * the webhook transactions), the outbox handlers that carry a refund's effects upstream, and the
 * recovery worker.
 */
import { createHash } from 'node:crypto';
import { AppServices, RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import type { Worker } from '../modules';
import { enqueue, registerOutboxHandler } from '../outbox';
import { ErrorCode } from '../shared/errors';
import { connectorsOf } from '../systems/connectors';
import { ErpConnector } from '../systems/erp/erp.connector';
import { recordErpPosting } from '../systems/erp/erp.webhooks';
import { recordOmsInvoiceData } from '../systems/oms/oms.webhooks';
import { normalizeRefundWebhook } from '../systems/psp/psp-errors';
import { allocatePspRefunds, recordPspRefund } from './refund-outcome';
import { refundInvoice } from './refund.service';
import { RecoveryWorker } from './recovery';

export function registerRefunds(app: AppServices, workers: Worker[]): void {
  app.hooks.on('pspRefundEvent', async (tx, body) => {
    // A claim: recordPspRefund applies a success, and has any move backwards checked with the PSP first.
    await recordPspRefund(tx, normalizeRefundWebhook(body), 'PSP_WEBHOOK');
  });

  app.hooks.on('invoiceRecorded', async (tx, invoice) => {
    if (invoice.kind !== 'INPUT') return;
    // PSP refunds made for it before it arrived cover it first (same transaction).
    await allocatePspRefunds(tx, invoice.orderId, invoice.id);
    if (!tx.app.config.autoRefundInputInvoices) return;
    await enqueue(tx, 'refund.auto', `refund.auto:${invoice.id}`, invoice.orderId, { orderId: invoice.orderId, invoiceId: invoice.id });
  });

  registerOutboxHandler(app, 'refund.auto', async (ctx, msg) => {
    const { orderId, invoiceId } = msg.payload as { orderId: string; invoiceId: string };
    // Exactly the admin's path, as the system, with a key that makes every redelivery the same request.
    const r = await refundInvoice(ctx, { orderId, invoiceId, reason: 'RETURN', idempotencyKey: `auto:${invoiceId}` }, { automated: true });
    const codes = r.userErrors.map((e) => e.code);
    // The invoice can arrive before the PSP's or the OMS's other webhooks: try again later rather
    // than leave a return unrefunded because a mirror lags. Anything else waits for a person.
    const later = codes.find((c) => RETRY_LATER.has(c));
    if (later) throw new Error(`automatic refund deferred: ${later}`);
    if (codes.length) ctx.log.info({ orderId, invoiceId, codes }, 'automatic refund not issued');
  });

  registerOutboxHandler(app, 'erp.post', async (ctx, msg) => {
    const p = msg.payload as { kind: 'REFUND'; externalRef: string; orderId: string | null; amountMinor: string; currency: string; reasonCode: string | null };
    const erp = erpPostingConnector(ctx.app);
    // An earlier attempt may have been booked with its answer lost. An ERP that ignores the key would
    // book a second document, so what it already holds under the key is read back before posting.
    const booked = msg.attempts > 1 ? await erp.getPostings(ctx, { externalRef: p.externalRef }) : [];
    const postings = booked.length ? booked : [(await erp.postJournalEntry(ctx, { ...p, amountMinor: BigInt(p.amountMinor) })).posting];
    // The ERP's webhook may report the same document too: the upsert by document id makes that harmless.
    await withTransaction(ctx, async (tx) => {
      for (const posting of postings) await recordErpPosting(tx, posting);
    });
  });

  registerOutboxHandler(app, 'oms.interaction', async (ctx, msg) => {
    await connectorsOf(ctx.app).oms.addInteraction(ctx, msg.payload);
  });

  registerOutboxHandler(app, 'oms.invoiceData', async (ctx, msg) => {
    const orderId = (msg.payload as { orderId: string }).orderId;
    // Always the current copy, whatever message carried the request: an older one never overwrites a newer.
    const { entries: sent, version: ours } = await ourInvoiceData(ctx, orderId);
    // The key names this copy and its version here: a copy that returns to an earlier content (a
    // refund that succeeded, then was reversed) is a new request, never the OMS's cached answer to the old one.
    const key = `invoice-data:${orderId}:${ours}:${createHash('sha256').update(JSON.stringify(sent, big)).digest('hex').slice(0, 40)}`;
    const { version } = await connectorsOf(ctx.app).oms.putInvoiceData(ctx, orderId, sent, key);
    await withTransaction(ctx, (tx) =>
      recordOmsInvoiceData(tx, orderId, version, sent.map((e) => ({ invoiceId: e.invoiceNumber, refundedMinor: e.refundedMinor, refundIds: e.refundIds }))),
    );
    const now = (await ourInvoiceData(ctx, orderId)).entries;
    if (JSON.stringify(now, big) !== JSON.stringify(sent, big)) throw new Error('invoiceData changed while it was being sent; sending the newer copy');
  });

  workers.push(new RecoveryWorker(app));
}

/**
 * The ERP connector for the writeback, without the HTTP client's own retries: a retry after a lost
 * answer must be the outbox's read-back-then-post, never a blind second POST.
 */
function erpPostingConnector(app: AppServices): ErpConnector {
  let c = app.registry.get('refunds.erpPosting') as ErpConnector | undefined;
  if (!c) {
    const u = app.config.upstream;
    c = new ErpConnector(u.erpBaseUrl, u.timeoutMs, { breakerThreshold: u.breakerThreshold, halfOpenAfterMs: u.breakerHalfOpenMs, retries: 0 });
    app.registry.set('refunds.erpPosting', c);
  }
  return c;
}

const RETRY_LATER = new Set<string>([ErrorCode.IDEMPOTENCY_KEY_IN_USE, ErrorCode.ORDER_NOT_FOUND, ErrorCode.PAYMENT_NOT_FOUND, ErrorCode.UPSTREAM_UNAVAILABLE]);

const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** moneygraph's copy of the order's invoiceData, and its version (every write adds 1 to a row's version, so the sum only grows). */
async function ourInvoiceData(ctx: RequestContext, orderId: string) {
  const rows: { invoice_id: string; refunded_minor: string; refund_ids: string; source_version: string }[] = await ctx.manager.query(
    `SELECT invoice_id, refunded_minor, refund_ids, source_version FROM oms_invoice_data WHERE order_id = ? AND copy = 'MONEYGRAPH' ORDER BY invoice_id`,
    [orderId],
  );
  return {
    entries: rows.map((r) => ({ invoiceNumber: r.invoice_id, refundedMinor: BigInt(r.refunded_minor), refundIds: JSON.parse(r.refund_ids) as string[] })),
    version: rows.reduce((v, r) => v + BigInt(r.source_version), 0n),
  };
}
