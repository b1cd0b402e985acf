/** Exception classifier branches over the books: ERP postings, settlement lines, refunds in doubt and unapplied webhooks (see classifier.sql.ts). */
import { ago, batchOf, moneyText, omsStatusOf } from './classifier.fragments';

export const BOOKS_BRANCHES: Record<string, string> = {
  // The ERP has no accepted posting for a refund past the grace period (or rejected it outright).
  // The anti-join runs on the covering indexes reconciliation uses; full rows are read only for the hits
  // (STRAIGHT_JOIN: the optimizer would otherwise scan the refund table to probe the few hits).
  REFUND_NOT_POSTED_TO_ERP: `
    SELECT 'REFUND_NOT_POSTED_TO_ERP', q.id, q.order_id, q.payment_id, NULL, q.id, q.psp_refund_id, q.amount_minor, q.currency, NULL,
      q.invoice_id, q.rejected_doc, IF(q.rejected_doc IS NULL, 'NOT_POSTED', 'REJECTED'), ${omsStatusOf('q.order_id')}, ${batchOf('q.psp_refund_id')},
      q.psp_refund_id, q.done_at,
      CONCAT('Refund ', q.psp_refund_id, ' of ', ${moneyText('q.amount_minor', 'q.currency')}, ' succeeded at the PSP but the ERP ',
        IF(q.rejected_doc IS NULL, 'has no posting for it', CONCAT('rejected its posting ', q.rejected_doc)),
        IF(q.dead_msg IS NULL, '', CONCAT('; its ERP posting, outbox message ', q.dead_msg, ', is DEAD after ', q.dead_attempts, ' attempt(s) (last error: ',
          COALESCE(LEFT(q.dead_error, 160), 'none'), '): retryOutboxMessages puts it back in the queue')))
    FROM (SELECT r.id, r.order_id, r.payment_id, r.psp_refund_id, r.amount_minor, r.currency, r.invoice_id, COALESCE(r.completed_at, r.updated_at) AS done_at,
            (SELECT MAX(e.id) FROM erp_posting e WHERE e.external_ref = r.psp_refund_id AND e.kind = 'REFUND' AND e.status = 'REJECTED') AS rejected_doc,
            m.id AS dead_msg, m.attempts AS dead_attempts, m.last_error AS dead_error
          FROM (SELECT DISTINCT r0.id FROM refund r0 FORCE INDEX (idx_refund_reconcile)
                WHERE r0.psp_refund_id IS NOT NULL AND r0.status = 'SUCCEEDED'
                  AND NOT EXISTS (SELECT 1 FROM erp_posting e FORCE INDEX (idx_erp_posting_reconcile)
                                  WHERE e.external_ref = r0.psp_refund_id AND e.kind = 'REFUND' AND e.status = 'POSTED')) k
          STRAIGHT_JOIN refund r ON r.id = k.id
          -- The posting the outbox gave up on (its dedupe key, src/refunds/refund-outcome.ts): a person must act, so no grace period.
          LEFT JOIN outbox_message m ON m.dedupe_key = CONCAT('erp.post:REFUND:', r.psp_refund_id) AND m.status = 'DEAD') q
    WHERE q.rejected_doc IS NOT NULL OR q.dead_msg IS NOT NULL OR q.done_at < ${ago('graceSeconds')}`,

  // The books show a refund the PSP never made.
  ERP_POSTING_WITHOUT_REFUND: `
    SELECT 'ERP_POSTING_WITHOUT_REFUND', e.id, e.order_id, NULL, NULL, NULL, e.external_ref, ABS(e.amount_minor), e.currency, NULL,
      NULL, e.id, 'POSTED', IF(e.order_id IS NULL, NULL, ${omsStatusOf('e.order_id')}), NULL, e.id, e.posted_at,
      CONCAT('ERP document ', e.id, ' posts refund ', e.external_ref, ' which did not succeed at the PSP')
    FROM (SELECT DISTINCT e0.id FROM erp_posting e0 FORCE INDEX (idx_erp_posting_reconcile)
          WHERE e0.kind = 'REFUND' AND e0.status = 'POSTED' AND e0.posted_at < ${ago('graceSeconds')}
            AND NOT EXISTS (SELECT 1 FROM refund r FORCE INDEX (idx_refund_reconcile) WHERE r.psp_refund_id = e0.external_ref AND r.status = 'SUCCEEDED')
            -- a posting netted by its reversal, and the reversal itself, book no refund
            AND NOT EXISTS (SELECT 1 FROM erp_posting x WHERE x.external_ref = CONCAT(e0.external_ref, ':', 'reversal') AND x.kind = 'REFUND' AND x.status = 'POSTED')
            AND NOT (e0.external_ref LIKE CONCAT('%:', 'reversal') AND EXISTS (SELECT 1 FROM refund r3 WHERE r3.psp_refund_id = SUBSTRING(e0.external_ref, 1, CHAR_LENGTH(e0.external_ref) - 9)))) k
    STRAIGHT_JOIN erp_posting e ON e.id = k.id`,

  ERP_AMOUNT_MISMATCH: `
    SELECT 'ERP_AMOUNT_MISMATCH', q.id, q.order_id, q.payment_id, NULL, q.id, q.psp_refund_id, q.amount_minor, q.currency, NULL,
      q.invoice_id, q.doc_id, IF(q.revised > 1, 'REVISED', 'POSTED'), ${omsStatusOf('q.order_id')}, ${batchOf('q.psp_refund_id')}, q.doc_id, q.posted_at,
      CONCAT('Refund ', q.psp_refund_id, ' is ', ${moneyText('q.amount_minor', 'q.currency')}, ' at the PSP but ', ${moneyText('q.erp_amount', 'q.erp_currency')}, ' in ERP document ', q.doc_id,
        IF(q.revised > 1, ' (the document was overwritten after posting)', ''))
    FROM (SELECT r.id, MAX(r.order_id) AS order_id, MAX(r.payment_id) AS payment_id, MAX(r.psp_refund_id) AS psp_refund_id, MAX(r.amount_minor) AS amount_minor,
            MAX(r.currency) AS currency, MAX(r.invoice_id) AS invoice_id, MAX(e.id) AS doc_id, MAX(e.posted_at) AS posted_at, MAX(ABS(e.amount_minor)) AS erp_amount,
            MAX(e.currency) AS erp_currency, MAX(e.source_version) AS revised
          FROM (SELECT DISTINCT r0.id FROM refund r0 FORCE INDEX (idx_refund_reconcile)
                JOIN erp_posting e0 FORCE INDEX (idx_erp_posting_reconcile) ON e0.external_ref = r0.psp_refund_id AND e0.kind = 'REFUND' AND e0.status = 'POSTED'
                WHERE r0.status = 'SUCCEEDED' AND (ABS(e0.amount_minor) <> r0.amount_minor OR e0.currency <> r0.currency)) k
          STRAIGHT_JOIN refund r ON r.id = k.id
          STRAIGHT_JOIN erp_posting e ON e.external_ref = r.psp_refund_id AND e.kind = 'REFUND' AND e.status = 'POSTED'
          GROUP BY r.id) q`,

  // The same idempotency key accepted twice: the books count the money twice.
  ERP_DUPLICATE_POSTING: `
    SELECT 'ERP_DUPLICATE_POSTING', CONCAT(d.kind, ':', d.external_ref), d.order_id, NULL, IF(d.kind = 'CAPTURE', d.external_ref, NULL),
      NULL, IF(d.kind = 'REFUND', d.external_ref, NULL), d.total - d.first_amount, d.currency, NULL,
      IF(d.kind = 'INVOICE', d.external_ref, NULL), d.doc_id, 'DUPLICATE', IF(d.order_id IS NULL, NULL, ${omsStatusOf('d.order_id')}), NULL, d.doc_id, d.posted_at,
      CONCAT('The ERP holds ', d.n, ' accepted ', LOWER(d.kind), ' postings for ', d.external_ref, ' (documents ', d.docs, ')')
    FROM (SELECT g.*,
            (SELECT MAX(e.order_id) FROM erp_posting e WHERE e.external_ref = g.external_ref AND e.kind = g.kind AND e.status = 'POSTED') AS order_id,
            (SELECT LEFT(GROUP_CONCAT(e.id ORDER BY e.posted_at, e.id SEPARATOR ', '), 300) FROM erp_posting e
              WHERE e.external_ref = g.external_ref AND e.kind = g.kind AND e.status = 'POSTED') AS docs
          FROM (SELECT e.kind, e.external_ref, COUNT(*) AS n, SUM(ABS(e.amount_minor)) AS total, MIN(ABS(e.amount_minor)) AS first_amount,
                  MAX(e.currency) AS currency, MAX(e.id) AS doc_id, MAX(e.posted_at) AS posted_at
                FROM erp_posting e FORCE INDEX (idx_erp_posting_reconcile) WHERE e.status = 'POSTED'
                GROUP BY e.external_ref, e.kind HAVING COUNT(*) > 1) g) d`,

  SETTLEMENT_LINE_WITHOUT_ORDER: `
    SELECT 'SETTLEMENT_LINE_WITHOUT_ORDER', sl.id, sl.order_id, IF(sl.kind = 'CAPTURE', (SELECT c.payment_id FROM psp_capture c WHERE c.id = sl.psp_reference), NULL),
      IF(sl.kind = 'CAPTURE', sl.psp_reference, NULL), NULL, IF(sl.kind = 'REFUND', sl.psp_reference, NULL), ABS(sl.gross_minor), sl.currency, NULL,
      NULL, NULL, NULL, IF(sl.order_id IS NULL, NULL, 'NOT_CREATED'), sl.settlement_id, sl.settlement_id, s.settled_at,
      CONCAT('Settlement ', sl.settlement_id, ' has a ', LOWER(sl.kind), ' line ', sl.psp_reference, ' (', ${moneyText('sl.gross_minor', 'sl.currency')}, ') ',
        IF(sl.order_id IS NULL, 'without an order reference', CONCAT('for order ', sl.order_id, ' which the OMS does not have')))
    FROM psp_settlement_line sl
    JOIN psp_settlement s ON s.id = sl.settlement_id
    LEFT JOIN oms_order o ON o.id = sl.order_id
    WHERE o.id IS NULL`,

  // A webhook claims a move backwards of a refund and the PSP's own record has not confirmed it yet:
  // nothing moved, the invoice stays covered, and the refund is in doubt until the record is read.
  REFUND_OUTCOME_IN_DOUBT: `
    SELECT 'REFUND_OUTCOME_IN_DOUBT', r.id, r.order_id, r.payment_id, NULL, r.id, r.psp_refund_id, r.amount_minor, r.currency, NULL,
      r.invoice_id, NULL, NULL, ${omsStatusOf('r.order_id')}, ${batchOf('r.psp_refund_id')}, CONCAT('#', w.id), w.received_at,
      CONCAT('Refund ', r.id, ' is ', r.status, ' here but webhook ', w.event_id, ' reports it ', COALESCE(w.event_type, 'changed'),
        '; the PSP''s record could not be read yet, so nothing changed: refunding it again could pay the customer twice')
    FROM webhook_event w FORCE INDEX (idx_webhook_due)
    JOIN refund r ON w.waiting_for = CONCAT('refund:', r.id)
    WHERE w.status = 'WAITING' AND w.waiting_for LIKE 'refund:%'`,

  // Nothing a signed webhook reports is dropped: one still not applied past its window needs a person.
  WEBHOOK_EVENT_NOT_APPLIED: `
    SELECT 'WEBHOOK_EVENT_NOT_APPLIED', CONCAT(w.source, ':', w.event_id),
      LEFT(COALESCE(IF(w.waiting_for LIKE 'order:%', SUBSTRING(w.waiting_for, 7), NULL), JSON_VALUE(w.payload, '$.payload.metadata.orderId'),
        JSON_VALUE(w.payload, '$.data.order.id'), JSON_VALUE(w.payload, '$.data.invoice.orderId'), JSON_VALUE(w.payload, '$.data.payment.orderId')), 64),
      LEFT(JSON_VALUE(w.payload, '$.payload.payment.paymentId'), 64), NULL, NULL, LEFT(JSON_VALUE(w.payload, '$.payload.refundId'), 64), NULL, NULL, NULL,
      LEFT(JSON_VALUE(w.payload, '$.payload.metadata.invoiceNumber'), 64), NULL, NULL, NULL, NULL, CONCAT('#', w.id), w.received_at,
      CONCAT(w.source, ' event ', w.event_id, ' (', COALESCE(w.event_type, 'unknown type'), ') is ', w.status, ' after ', w.attempts, ' attempt(s)',
        COALESCE(CONCAT(': ', w.error), ''))
    FROM webhook_event w FORCE INDEX (idx_webhook_due)
    WHERE w.status = 'DEAD'
       OR (w.status IN ('RECEIVED', 'FAILED', 'WAITING') AND w.received_at < ${ago('webhookWaitSeconds')} AND NOT (w.status = 'WAITING' AND w.waiting_for LIKE 'refund:%'))`,
};
