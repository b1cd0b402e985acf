/**
 * The exception classifier as set-based SQL: one SELECT per kind, each yielding the same evidence
 * columns, combined with UNION ALL into one INSERT … ON DUPLICATE KEY UPDATE. Nothing loops over
 * orders; each branch starts from the anomaly and reaches its evidence through indexed lookups.
 *
 * Parameters: :now, :seq, :inFlightSeconds, :graceSeconds, :invoiceGraceSeconds, :driftSeconds, :cutoffHour, :webhookWaitSeconds.
 */

import { CURRENCY_EXPONENTS } from '../shared/money';
import { COVERING_STATUSES, IN_FLIGHT_STATUSES, sqlStatusList } from '../shared/refund-status';

const IN_FLIGHT = sqlStatusList(IN_FLIGHT_STATUSES);
const COVERING = sqlStatusList(COVERING_STATUSES);

// Columns every branch yields, in this order.
const COLS = `kind, subject_key, order_id, psp_reference, capture_id, refund_id, psp_refund_id, amount_minor, currency,
  captured_at, invoice_ref, erp_document_id, erp_status, oms_status, settlement_batch_id, webhook_ref, occurred_at, detail`;

const firstCaptureOfPayment = (p: string) => `(SELECT c.id FROM psp_capture c WHERE c.payment_id = ${p} ORDER BY c.captured_at, c.id LIMIT 1)`;
const firstCaptureOfOrder = (o: string) => `(SELECT c.id FROM psp_capture c WHERE c.order_id = ${o} ORDER BY c.captured_at, c.id LIMIT 1)`;
const capturedAtOfOrder = (o: string) => `(SELECT MIN(c.captured_at) FROM psp_capture c WHERE c.order_id = ${o})`;
const paymentOfOrder = (o: string) => `(SELECT p.id FROM psp_payment p WHERE p.order_id = ${o} ORDER BY p.status = 'COMPLETED' DESC, p.created_at, p.id LIMIT 1)`;
const batchOf = (ref: string) => `(SELECT MIN(sl.settlement_id) FROM psp_settlement_line sl WHERE sl.psp_reference = ${ref})`;
/** What the ERP holds for the order's sale side (invoice or capture postings). */
const saleErpStatusOf = (o: string) => `(SELECT CASE WHEN SUM(e.status = 'POSTED') > 0 THEN 'POSTED' WHEN COUNT(*) > 0 THEN 'REJECTED' ELSE 'NOT_POSTED' END
  FROM erp_posting e WHERE e.order_id = ${o} AND e.kind IN ('INVOICE', 'CAPTURE'))`;
const omsStatusOf = (o: string) => `COALESCE((SELECT o2.status FROM oms_order o2 WHERE o2.id = ${o}), 'NOT_CREATED')`;
const saleInvoiceOf = (o: string) => `(SELECT MIN(i2.id) FROM oms_invoice i2 WHERE i2.order_id = ${o} AND i2.kind = 'OUTPUT')`;
/** "49.99 EUR" from minor units and a currency, in SQL (the exponents of src/shared/money.ts). */
const EXP_OF = (c: string) => {
  const by = new Map<number, string[]>();
  for (const [code, exp] of Object.entries(CURRENCY_EXPONENTS)) if (exp !== 2) by.set(exp, [...(by.get(exp) ?? []), code]);
  return `CASE ${[...by].map(([exp, codes]) => `WHEN ${c} IN (${codes.map((x) => `'${x}'`).join(', ')}) THEN ${exp}`).join(' ')} ELSE 2 END`;
};
const moneyText = (minor: string, currency: string) => `CONCAT(IF(${minor} < 0, '-', ''),
  IF(${EXP_OF(currency)} = 0, CAST(ABS(${minor}) AS CHAR),
    CONCAT(ABS(${minor}) DIV POW(10, ${EXP_OF(currency)}), '.', LPAD(ABS(${minor}) MOD POW(10, ${EXP_OF(currency)}), ${EXP_OF(currency)}, '0'))), ' ', ${currency})`;
const ago = (param: string) => `DATE_SUB(:now, INTERVAL :${param} SECOND)`;

const BRANCHES: Record<string, string> = {
  // Seed 003 rows 1–3: the payment exists, the order path does not (or was rejected).
  PAYMENT_ORDER_PATH: `
    SELECT CASE WHEN q.status = 'AUTHORIZED' THEN 'AUTHORIZED_ORDER_NOT_CREATED'
                WHEN q.oms_status IS NULL THEN 'CAPTURED_ORDER_CREATION_FAILED' ELSE 'CAPTURED_OMS_REJECTED' END,
      q.id, q.order_id, q.id, q.capture_id, NULL, NULL,
      IF(q.status = 'AUTHORIZED', q.authorized_minor, q.captured), q.currency, q.captured_at, NULL, NULL,
      ${saleErpStatusOf('q.order_id')}, COALESCE(q.oms_status, 'NOT_CREATED'), ${batchOf('q.capture_id')},
      COALESCE(q.capture_id, q.id), COALESCE(q.captured_at, q.created_at),
      CASE WHEN q.status = 'AUTHORIZED' THEN CONCAT('Payment ', q.id, ' is authorized but order ', COALESCE(q.order_id, '(no order reference)'), ' does not exist in the OMS')
           WHEN q.oms_status IS NULL THEN CONCAT('Payment ', q.id, ' is captured but order ', COALESCE(q.order_id, '(no order reference)'), ' does not exist in the OMS')
           ELSE CONCAT('Payment ', q.id, ' is captured but the OMS rejected order ', q.order_id) END
    FROM (
      SELECT p.id, p.order_id, p.status, p.currency, p.created_at, p.authorized_minor, o.status AS oms_status,
        ${firstCaptureOfPayment('p.id')} AS capture_id,
        (SELECT MIN(c.captured_at) FROM psp_capture c WHERE c.payment_id = p.id) AS captured_at,
        (SELECT COALESCE(SUM(c.amount_minor), 0) FROM psp_capture c WHERE c.payment_id = p.id) AS captured,
        (SELECT COALESCE(SUM(r.amount_minor), 0) FROM refund r WHERE r.order_id = p.order_id AND r.payment_id = p.id AND r.status = 'SUCCEEDED') AS refunded
      FROM psp_payment p LEFT JOIN oms_order o ON o.id = p.order_id
      WHERE (p.status = 'AUTHORIZED' AND o.id IS NULL) OR (p.status = 'COMPLETED' AND (o.id IS NULL OR o.status = 'REJECTED'))
    ) q
    WHERE q.status = 'AUTHORIZED' OR q.captured > q.refunded`,

  // Seed 003 row 4: the order exists and was charged, but the ERP rejected its sale posting and holds no accepted one.
  CAPTURED_ERP_POSTING_FAILED: `
    SELECT 'CAPTURED_ERP_POSTING_FAILED', CONCAT(f.kind, ':', f.external_ref), o.id, ${paymentOfOrder('o.id')}, ${firstCaptureOfOrder('o.id')}, NULL, NULL,
      (SELECT SUM(c.amount_minor) FROM psp_capture c WHERE c.order_id = o.id), o.currency, ${capturedAtOfOrder('o.id')},
      IF(f.kind = 'INVOICE', f.external_ref, ${saleInvoiceOf('o.id')}), f.doc_id, 'REJECTED', o.status, ${batchOf(firstCaptureOfOrder('o.id'))},
      f.doc_id, f.posted_at,
      CONCAT('The ERP rejected the ', LOWER(f.kind), ' posting ', f.external_ref, COALESCE(CONCAT(' (', f.reason_code, ')'), ''), ' of charged order ', o.id)
    FROM (SELECT e.kind, e.external_ref, MAX(e.id) AS doc_id, MAX(e.posted_at) AS posted_at, MAX(e.order_id) AS order_id, MAX(e.reason_code) AS reason_code
          FROM erp_posting e WHERE e.kind IN ('INVOICE', 'CAPTURE') AND e.status = 'REJECTED' GROUP BY e.kind, e.external_ref) f
    JOIN oms_order o ON o.id = f.order_id
    WHERE o.status <> 'REJECTED'
      AND EXISTS (SELECT 1 FROM psp_capture c WHERE c.order_id = o.id)
      AND NOT EXISTS (SELECT 1 FROM erp_posting e2 WHERE e2.external_ref = f.external_ref AND e2.kind = f.kind AND e2.status = 'POSTED')`,

  // Seed 003 row 5: the customer got the money back, yet a live order exists for it — created after the
  // refund, or fully refunded without any return invoice (money returned before the order existed is
  // only recorded once it exists, so the refund's own time cannot always tell). Shipping it or
  // refunding again would be the duplicate correction.
  REFUNDED_ORDER_LATER_CREATED: `
    SELECT 'REFUNDED_ORDER_LATER_CREATED', o.id, o.id, q.payment_id, ${firstCaptureOfOrder('o.id')}, q.refund_id, q.psp_refund_id,
      q.refunded, q.currency, ${capturedAtOfOrder('o.id')}, ${saleInvoiceOf('o.id')}, NULL, ${saleErpStatusOf('o.id')}, o.status,
      ${batchOf('q.psp_refund_id')}, o.id, GREATEST(o.created_at, q.first_refund_at),
      CONCAT('Order ', o.id, ' is ', o.status, ' in the OMS but its payment was refunded (', q.refunds, ' refund(s), no return invoice',
        IF(o.created_at > q.first_refund_at, ', before the order was created', ''), '); it must not ship or be refunded again without a decision')
    FROM (SELECT r.order_id, MIN(COALESCE(r.completed_at, r.updated_at)) AS first_refund_at, SUM(r.amount_minor) AS refunded, COUNT(*) AS refunds,
            MAX(r.currency) AS currency, MAX(r.payment_id) AS payment_id, MAX(r.id) AS refund_id, MAX(r.psp_refund_id) AS psp_refund_id
          FROM refund r WHERE r.status = 'SUCCEEDED' GROUP BY r.order_id) q
    JOIN oms_order o ON o.id = q.order_id
    WHERE o.status NOT IN ('CANCELED', 'REJECTED')
      AND (o.created_at > q.first_refund_at
           OR (q.refunded >= (SELECT COALESCE(SUM(c.amount_minor), 0) FROM psp_capture c WHERE c.order_id = o.id)
               AND EXISTS (SELECT 1 FROM psp_capture c WHERE c.order_id = o.id)
               AND NOT EXISTS (SELECT 1 FROM oms_invoice i WHERE i.order_id = o.id AND i.kind = 'INPUT')))`,

  // Seed 003 row 6: a settled capture whose order has no accepted invoice in the ERP.
  SETTLED_NO_ERP_INVOICE: `
    SELECT 'SETTLED_NO_ERP_INVOICE', sl.id, o.id, c.payment_id, c.id, NULL, NULL, sl.gross_minor, sl.currency, c.captured_at,
      ${saleInvoiceOf('o.id')}, NULL, ${saleErpStatusOf('o.id')}, o.status, sl.settlement_id, sl.settlement_id, s.settled_at,
      CONCAT('Settlement ', sl.settlement_id, ' settled capture ', sl.psp_reference, ' of order ', o.id, ' but the ERP holds no accepted invoice for it')
    FROM psp_settlement_line sl
    JOIN psp_settlement s ON s.id = sl.settlement_id
    JOIN oms_order o ON o.id = sl.order_id
    LEFT JOIN psp_capture c ON c.id = sl.psp_reference
    WHERE sl.kind = 'CAPTURE'
      AND NOT EXISTS (SELECT 1 FROM erp_posting e WHERE e.order_id = o.id AND e.kind = 'INVOICE' AND e.status = 'POSTED')`,

  // A return invoice still demands money after the time an automatic refund should have taken.
  INPUT_INVOICE_NOT_REFUNDED: `
    SELECT 'INPUT_INVOICE_NOT_REFUNDED', q.id, q.order_id, ${paymentOfOrder('q.order_id')}, ${firstCaptureOfOrder('q.order_id')}, NULL, NULL,
      q.amount_minor - q.covered, q.currency, ${capturedAtOfOrder('q.order_id')}, q.id, NULL, NULL, ${omsStatusOf('q.order_id')}, NULL,
      q.id, q.issued_at,
      CONCAT('Return invoice ', q.id, ' of order ', q.order_id, ' still demands a refund (', ${moneyText('(q.amount_minor - q.covered)', 'q.currency')}, ' of ', ${moneyText('q.amount_minor', 'q.currency')}, ')')
    FROM (SELECT i.id, i.order_id, i.amount_minor, i.currency, i.issued_at,
            (SELECT COALESCE(SUM(r.amount_minor), 0) FROM refund r WHERE r.invoice_id = i.id AND r.status IN (${COVERING})) AS covered
          FROM oms_invoice i WHERE i.kind = 'INPUT' AND i.issued_at < ${ago('invoiceGraceSeconds')}) q
    WHERE q.amount_minor > q.covered`,

  // Outcome unknown for longer than recovery should take.
  REFUND_IN_FLIGHT_TOO_LONG: `
    SELECT 'REFUND_IN_FLIGHT_TOO_LONG', r.id, r.order_id, r.payment_id, NULL, r.id, r.psp_refund_id, r.amount_minor, r.currency, NULL,
      r.invoice_id, NULL, NULL, ${omsStatusOf('r.order_id')}, NULL, COALESCE(r.psp_refund_id, r.id), r.created_at,
      CONCAT('Refund ', r.id, ' (merchantTransactionId ', r.merchant_transaction_id, ') has been ', r.status, ' since ', DATE_FORMAT(r.created_at, '%Y-%m-%dT%H:%i:%sZ'), ' after ', r.attempts, ' attempt(s)')
    FROM refund r
    WHERE r.status IN (${IN_FLIGHT}) AND r.created_at < ${ago('inFlightSeconds')}`,

  // invoiceData: moneygraph's copy must equal the ledger at all times; the OMS copy may lag only within its window.
  INVOICE_DATA_DRIFT: `
    SELECT 'INVOICE_DATA_DRIFT', q.id, q.order_id, ${paymentOfOrder('q.order_id')}, NULL, q.last_refund_id, NULL,
      ABS(q.ledger - COALESCE(IF(COALESCE(q.mg_copy, 0) <> q.ledger, q.mg_copy, q.oms_copy), 0)), q.currency, NULL, q.id, NULL, NULL,
      ${omsStatusOf('q.order_id')}, NULL, q.order_id, COALESCE(q.last_refund_at, q.oms_updated_at, :now),
      CONCAT('invoiceData of return invoice ', q.id, ': ledger says ', ${moneyText('q.ledger', 'q.currency')}, ' refunded, moneygraph copy ', COALESCE(${moneyText('q.mg_copy', 'q.currency')}, 'none'),
        ', OMS copy ', COALESCE(${moneyText('q.oms_copy', 'q.currency')}, 'none'))
    FROM (SELECT i.id, i.order_id, i.currency,
            (SELECT COALESCE(SUM(r.amount_minor), 0) FROM refund r WHERE r.invoice_id = i.id AND r.status = 'SUCCEEDED') AS ledger,
            (SELECT MAX(COALESCE(r.completed_at, r.updated_at)) FROM refund r WHERE r.invoice_id = i.id AND r.status = 'SUCCEEDED') AS last_refund_at,
            (SELECT MAX(r.id) FROM refund r WHERE r.invoice_id = i.id AND r.status = 'SUCCEEDED') AS last_refund_id,
            (SELECT d.refunded_minor FROM oms_invoice_data d WHERE d.order_id = i.order_id AND d.invoice_id = i.id AND d.copy = 'MONEYGRAPH') AS mg_copy,
            (SELECT d.refunded_minor FROM oms_invoice_data d WHERE d.order_id = i.order_id AND d.invoice_id = i.id AND d.copy = 'OMS') AS oms_copy,
            (SELECT d.updated_at FROM oms_invoice_data d WHERE d.order_id = i.order_id AND d.invoice_id = i.id AND d.copy = 'OMS') AS oms_updated_at
          FROM oms_invoice i WHERE i.kind = 'INPUT') q
    WHERE COALESCE(q.mg_copy, 0) <> q.ledger
       OR (COALESCE(q.oms_copy, 0) <> q.ledger AND COALESCE(q.last_refund_at, q.oms_updated_at) < ${ago('driftSeconds')})`,

  // A failed refund whose demand is still open (a later refund that covers it clears this).
  REFUND_FAILED: `
    SELECT 'REFUND_FAILED', r.id, r.order_id, r.payment_id, NULL, r.id, r.psp_refund_id, r.amount_minor, r.currency, NULL,
      r.invoice_id, NULL, NULL, ${omsStatusOf('r.order_id')}, NULL, COALESCE(r.psp_refund_id, r.id), COALESCE(r.completed_at, r.updated_at),
      CONCAT('Refund ', r.id, ' failed', COALESCE(CONCAT(': ', r.error_code), ''), COALESCE(CONCAT(' — ', r.error_message), ''))
    FROM refund r LEFT JOIN oms_invoice i ON i.id = r.invoice_id
    WHERE r.status = 'FAILED'
      AND (r.invoice_id IS NULL OR i.amount_minor > (SELECT COALESCE(SUM(r2.amount_minor), 0) FROM refund r2
            WHERE r2.invoice_id = r.invoice_id AND r2.status IN (${COVERING})))`,

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

// A row-less first SELECT names the columns for the whole UNION, so the branches can stay positional.
const UNION = [
  `SELECT ${COLS.split(',')
    .map((c) => `NULL AS ${c.trim()}`)
    .join(', ')} FROM DUAL WHERE 1 = 0`,
  ...Object.values(BRANCHES),
].join('\n  UNION ALL ');

const DEADLINE = `IF(x.occurred_at < TIMESTAMP(DATE(x.occurred_at), MAKETIME(:cutoffHour, 0, 0)),
  TIMESTAMP(DATE(x.occurred_at), MAKETIME(:cutoffHour, 0, 0)), TIMESTAMP(DATE(x.occurred_at) + INTERVAL 1 DAY, MAKETIME(:cutoffHour, 0, 0)))`;

const EVIDENCE = [
  'order_id',
  'psp_reference',
  'capture_id',
  'refund_id',
  'psp_refund_id',
  'amount_minor',
  'currency',
  'captured_at',
  'invoice_ref',
  'erp_document_id',
  'erp_status',
  'oms_status',
  'settlement_batch_id',
  'webhook_event_id',
  'webhook_replayable',
  'webhook_replay_count',
  'webhook_signature_valid',
  'detail',
  'occurred_at',
  'decision_deadline',
];

/**
 * Upserts every observed exception. On a repeat: evidence is refreshed, an automatically resolved
 * one reopens (its condition came back), a decided or closed one keeps its status.
 * MariaDB evaluates the assignments left to right, so `status` is tested before it is changed.
 */
/** The subject as stored (money_exception.subject_key is 191 wide and unique per kind): never a prefix, a hash of the whole key when longer. */
const SUBJECT_KEY = `IF(CHAR_LENGTH(x.subject_key) > 191, CONCAT('sha256:', SHA2(x.subject_key, 256)), x.subject_key)`;

// The target's columns are qualified: the SELECT's joined tables have columns of the same names.
const T = 'money_exception';

export const CLASSIFY_SQL = `
INSERT INTO money_exception (id, kind, subject_key, status, observed, ${EVIDENCE.join(', ')}, first_detected_at, last_observed_at, last_refresh)
SELECT CONCAT('exc_', LEFT(SHA1(CONCAT(x.kind, '|', x.subject_key)), 24)), x.kind, ${SUBJECT_KEY}, 'OPEN', 1,
  x.order_id, x.psp_reference, x.capture_id, x.refund_id, x.psp_refund_id, x.amount_minor, x.currency, x.captured_at, x.invoice_ref,
  x.erp_document_id, x.erp_status, x.oms_status, x.settlement_batch_id,
  w.event_id, COALESCE(w.status IN ('RECEIVED', 'FAILED', 'WAITING', 'DEAD') AND w.signature_valid = 1, 0), w.replay_count, w.signature_valid,
  LEFT(x.detail, 512), x.occurred_at, ${DEADLINE}, :now, :now, :seq
FROM (${UNION}) x
LEFT JOIN webhook_event w ON w.id = IF(x.webhook_ref LIKE '#%', SUBSTRING(x.webhook_ref, 2),
  (SELECT MAX(wr.webhook_id) FROM webhook_event_ref wr WHERE wr.ref = x.webhook_ref))
ON DUPLICATE KEY UPDATE
  ${EVIDENCE.map((c) => `${T}.${c} = VALUES(${c})`).join(', ')},
  ${T}.resolved_at = IF(${T}.status = 'RESOLVED' AND ${T}.resolution = 'AUTO', NULL, ${T}.resolved_at),
  ${T}.status = IF(${T}.status = 'RESOLVED' AND ${T}.resolution = 'AUTO', 'OPEN', ${T}.status),
  ${T}.resolution = IF(${T}.status = 'OPEN', NULL, ${T}.resolution),
  ${T}.observed = 1, ${T}.cleared_at = NULL, ${T}.last_observed_at = VALUES(last_observed_at), ${T}.last_refresh = VALUES(last_refresh)`;

/** Exceptions the refresh no longer saw: undecided ones resolve; decided ones only record that the condition cleared. */
export const RESOLVE_UNSEEN_SQL = `
UPDATE money_exception SET observed = 0, cleared_at = COALESCE(cleared_at, :now),
  resolution = IF(status = 'OPEN', 'AUTO', resolution),
  resolved_at = IF(status = 'OPEN', :now, resolved_at),
  status = IF(status = 'OPEN', 'RESOLVED', status)
WHERE observed = 1 AND last_refresh < :seq`;

/** Which record a webhook event is about, from its raw payload (the shapes of docs/upstream-contracts.md). */
export const INDEX_WEBHOOKS_SQL = `
INSERT IGNORE INTO webhook_event_ref (webhook_id, ref)
SELECT t.id, t.ref FROM (
  SELECT w.id, LEFT(COALESCE(
    JSON_VALUE(w.payload, '$.data.capture.id'), JSON_VALUE(w.payload, '$.data.payment.id'), JSON_VALUE(w.payload, '$.data.order.id'),
    JSON_VALUE(w.payload, '$.payload.refundId'), JSON_VALUE(w.payload, '$.data.posting.documentId'), JSON_VALUE(w.payload, '$.data.settlement.id'),
    JSON_VALUE(w.payload, '$.data.invoice.number'), JSON_VALUE(w.payload, '$.data.interaction.orderId'), JSON_VALUE(w.payload, '$.data.orderId')), 128) AS ref
  FROM webhook_event w WHERE w.id > :fromId AND w.id <= :toId AND JSON_VALID(w.payload)) t
WHERE t.ref IS NOT NULL`;
