// Resolver classes below carry decorator metadata: the polyfill must load before them, whoever imports this module first.
import 'reflect-metadata';
/**
 * The refunds module as the application sees it: its tables and resolvers, the hooks it listens to
 * inside other modules' transactions (PSP refund reports, new return invoices), the outbox handlers
 * that carry a refund's effects upstream, and the recovery worker.
 */
import { createHash } from 'node:crypto';
import type { ModuleDefinition } from '../core/module';
import { databaseGauge } from '../metrics';
import { IN_FLIGHT_STATUSES, sqlStatusList } from '../shared/refund-status';
import type { OutboxHandler, RequestContext } from '../db/context';
import { withTransaction } from '../db/transaction';
import { enqueue } from '../outbox';
import { ErrorCode } from '../shared/errors';
import { bigintReplacer } from '../shared/json';
import { recordErpPosting } from '../systems/erp';
import { InvoiceRecorded, OmsOwnRefund, recordOmsInvoiceData } from '../systems/oms';
import type { PspRefund } from '../systems/psp';
import { REFUND_ENTITIES } from './entities';
import { OrderRefundsResolver, RefundResolver, refundReferenceResolvers } from './graphql/refund.resolver';
import { RefundMutationsResolver } from './graphql/refund-mutations.resolver';
import { createRefundLoaders } from './refund.loaders';
import { allocatePspRefunds, recordPspRefund } from './refund-outcome';
import { refundInvoice } from './refund.service';
import { RecoveryWorker } from './recovery';

/** A claim: recordPspRefund applies a success, and has any move backwards checked with the PSP first. */
async function onPspRefundReported(tx: RequestContext, refund: PspRefund): Promise<void> {
  await recordPspRefund(tx, refund, 'PSP_WEBHOOK');
}

async function onInvoiceRecorded(tx: RequestContext, invoice: InvoiceRecorded): Promise<void> {
  if (invoice.kind !== 'INPUT') return;
  // PSP refunds made for it before it arrived cover it first (same transaction).
  await allocatePspRefunds(tx, invoice.orderId, invoice.id);
  // An OMS that refunds return invoices itself (VTEX) is reconciled against, never paid after.
  if (!tx.app.config.autoRefundInputInvoices || tx.app.connectors.oms.capabilities.refundsReturnInvoicesItself) return;
  await enqueue(tx, 'refund.auto', `refund.auto:${invoice.id}`, invoice.orderId, { orderId: invoice.orderId, invoiceId: invoice.id });
}

const autoRefund: OutboxHandler = async (ctx, msg) => {
  const { orderId, invoiceId } = msg.payload as { orderId: string; invoiceId: string };
  // Exactly the admin's path, as the system, with a key that makes every redelivery the same request.
  const r = await refundInvoice(ctx, { orderId, invoiceId, reason: 'RETURN', idempotencyKey: `auto:${invoiceId}` }, { automated: true });
  const codes = r.userErrors.map((e) => e.code);
  // The invoice can arrive before the PSP's or the OMS's other webhooks: try again later rather
  // than leave a return unrefunded because a mirror lags. Anything else waits for a person.
  const later = codes.find((c) => RETRY_LATER.has(c));
  if (later) throw new Error(`automatic refund deferred: ${later}`);
  if (codes.length) ctx.log.info({ orderId, invoiceId, codes }, 'automatic refund not issued');
};

const erpPost: OutboxHandler = async (ctx, msg) => {
  const p = msg.payload as { kind: 'REFUND'; externalRef: string; orderId: string | null; amountMinor: string; currency: string; reasonCode: string | null };
  // Without the HTTP client's own retries: a retry after a lost answer is this read-back-then-post.
  const erp = ctx.app.connectors.erpPosting;
  // An earlier attempt may have been booked with its answer lost. An ERP that ignores the key would
  // book a second document, so what it already holds under the key is read back before posting.
  const booked = msg.attempts > 1 ? await erp.getPostings(ctx, { externalRef: p.externalRef }) : [];
  const postings = booked.length ? booked : [(await erp.postJournalEntry(ctx, { ...p, amountMinor: BigInt(p.amountMinor) })).posting];
  // The ERP's webhook may report the same document too: the upsert by document id makes that harmless.
  await withTransaction(ctx, async (tx) => {
    for (const posting of postings) await recordErpPosting(tx, posting);
  });
};

/** A refund the OMS made itself (VTEX's own "Refund Payment"), as a refund of the ledger found by the OMS's payment system. */
async function onOmsRefundReported(tx: RequestContext, r: OmsOwnRefund & { orderId: string }): Promise<void> {
  await recordPspRefund(
    tx,
    {
      pspRefundId: r.refundId,
      merchantTransactionId: null,
      status: r.status,
      amountMinor: r.status === 'SUCCEEDED' ? r.amountMinor : null,
      currency: r.currency,
      paymentId: null,
      paymentMethodId: null,
      orderId: r.orderId,
      invoiceNumber: r.invoiceNumber,
      errorCode: null,
      errorMessage: r.status === 'FAILED' ? `the OMS's refund on transaction ${r.transactionId} failed` : null,
      version: 1n,
      occurredAt: r.occurredAt,
      raw: r.raw,
    },
    'SYNC',
  );
}

const omsInteraction: OutboxHandler = async (ctx, msg) => {
  // An OMS that refunds by itself writes its own "Refund Payment" interactions: ours would say it twice.
  if (ctx.app.connectors.oms.capabilities.refundsReturnInvoicesItself) return;
  await ctx.app.connectors.oms.addInteraction(ctx, msg.payload);
};

const omsInvoiceData: OutboxHandler = async (ctx, msg) => {
  const orderId = (msg.payload as { orderId: string }).orderId;
  // An OMS that keeps no invoiceData copy (VTEX) has nothing to replace: the copy stays absent, never claimed in sync.
  if (!ctx.app.connectors.oms.capabilities.keepsInvoiceData) return;
  // Always the current copy, whatever message carried the request: an older one never overwrites a newer.
  const { entries: sent, version: ours } = await ourInvoiceData(ctx, orderId);
  // The key names this copy and its version here: a copy that returns to an earlier content (a
  // refund that succeeded, then was reversed) is a new request, never the OMS's cached answer to the old one.
  const key = `invoice-data:${orderId}:${ours}:${createHash('sha256').update(JSON.stringify(sent, bigintReplacer)).digest('hex').slice(0, 40)}`;
  const { version } = await ctx.app.connectors.oms.putInvoiceData(ctx, orderId, sent, key);
  await withTransaction(ctx, (tx) =>
    recordOmsInvoiceData(
      tx,
      orderId,
      version,
      sent.map((e) => ({ invoiceId: e.invoiceNumber, refundedMinor: e.refundedMinor, refundIds: e.refundIds })),
    ),
  );
  const now = (await ourInvoiceData(ctx, orderId)).entries;
  if (JSON.stringify(now, bigintReplacer) !== JSON.stringify(sent, bigintReplacer)) throw new Error('invoiceData changed while it was being sent; sending the newer copy');
};

export const refundsModule: ModuleDefinition = {
  name: 'refunds',
  entities: REFUND_ENTITIES,
  resolvers: [OrderRefundsResolver, RefundResolver, RefundMutationsResolver],
  referenceResolvers: refundReferenceResolvers,
  loaders: createRefundLoaders,
  hooks: { pspRefundReported: [onPspRefundReported], invoiceRecorded: [onInvoiceRecorded], omsRefundReported: [onOmsRefundReported] },
  outboxHandlers: { 'refund.auto': autoRefund, 'erp.post': erpPost, 'oms.interaction': omsInteraction, 'oms.invoiceData': omsInvoiceData },
  metrics: (registry, app) => {
    databaseGauge(registry, app, {
      name: 'moneygraph_refunds',
      help: 'Refunds in the ledger by status and error code (the outcome of each)',
      labelNames: ['status', 'error_code'],
      sql: `SELECT status, COALESCE(error_code, '') AS error_code, COUNT(*) AS n FROM refund GROUP BY status, error_code`,
      value: 'n',
    });
    databaseGauge(registry, app, {
      name: 'moneygraph_refunds_in_flight_oldest_seconds',
      help: 'Age of the oldest refund whose outcome is not known yet (0: none in flight)',
      labelNames: [],
      sql: `SELECT COALESCE(TIMESTAMPDIFF(SECOND, MIN(created_at), UTC_TIMESTAMP()), 0) AS age FROM refund WHERE status IN (${sqlStatusList(IN_FLIGHT_STATUSES)})`,
      value: 'age',
    });
  },
  workers: (app) => [new RecoveryWorker(app)],
};

const RETRY_LATER = new Set<string>([
  ErrorCode.IDEMPOTENCY_KEY_IN_USE,
  ErrorCode.ORDER_NOT_FOUND,
  ErrorCode.PAYMENT_NOT_FOUND,
  ErrorCode.UPSTREAM_UNAVAILABLE,
  ErrorCode.PSP_REFUND_UNDECIDED,
  ErrorCode.PSP_REPORT_WAITING,
]);

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
