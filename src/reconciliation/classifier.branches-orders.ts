/** Exception classifier branches over payments, orders and refunds in the ledger (see classifier.sql.ts). */
import {
  COVERING,
  IN_FLIGHT,
  ago,
  batchOf,
  capturedAtOfOrder,
  firstCaptureOfOrder,
  firstCaptureOfPayment,
  moneyText,
  omsStatusOf,
  paymentOfOrder,
  saleErpStatusOf,
  saleInvoiceOf,
} from './classifier.fragments';

export const ORDER_BRANCHES: Record<string, string> = {
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

  // invoiceData: moneygraph's copy must equal the ledger at all times; the OMS copy may lag only within its window
  // (an OMS that keeps no copy, :omsKeepsCopy = 0, has none to lag).
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
       OR (:omsKeepsCopy = 1 AND COALESCE(q.oms_copy, 0) <> q.ledger AND COALESCE(q.last_refund_at, q.oms_updated_at) < ${ago('driftSeconds')})`,

  // A failed refund whose demand is still open (a later refund that covers it clears this).
  REFUND_FAILED: `
    SELECT 'REFUND_FAILED', r.id, r.order_id, r.payment_id, NULL, r.id, r.psp_refund_id, r.amount_minor, r.currency, NULL,
      r.invoice_id, NULL, NULL, ${omsStatusOf('r.order_id')}, NULL, COALESCE(r.psp_refund_id, r.id), COALESCE(r.completed_at, r.updated_at),
      CONCAT('Refund ', r.id, ' failed', COALESCE(CONCAT(': ', r.error_code), ''), COALESCE(CONCAT(' — ', r.error_message), ''))
    FROM refund r LEFT JOIN oms_invoice i ON i.id = r.invoice_id
    WHERE r.status = 'FAILED'
      AND (r.invoice_id IS NULL OR i.amount_minor > (SELECT COALESCE(SUM(r2.amount_minor), 0) FROM refund r2
            WHERE r2.invoice_id = r.invoice_id AND r2.status IN (${COVERING})))`,
};
