/**
 * SQL fragments of the exception classifier (classifier.sql.ts): the evidence lookups each branch
 * shares, the status lists from the refund vocabulary, and money as text ("49.99 EUR") in SQL.
 * They read psp_capture, psp_payment, psp_settlement_line, erp_posting, oms_order and oms_invoice.
 */
import { CURRENCY_EXPONENTS } from '../shared/money';
import { COVERING_STATUSES, IN_FLIGHT_STATUSES, sqlStatusList } from '../shared/refund-status';

export const IN_FLIGHT = sqlStatusList(IN_FLIGHT_STATUSES);
export const COVERING = sqlStatusList(COVERING_STATUSES);

// Columns every branch yields, in this order.
export const COLS = `kind, subject_key, order_id, psp_reference, capture_id, refund_id, psp_refund_id, amount_minor, currency,
  captured_at, invoice_ref, erp_document_id, erp_status, oms_status, settlement_batch_id, webhook_ref, occurred_at, detail`;

export const firstCaptureOfPayment = (p: string) => `(SELECT c.id FROM psp_capture c WHERE c.payment_id = ${p} ORDER BY c.captured_at, c.id LIMIT 1)`;
export const firstCaptureOfOrder = (o: string) => `(SELECT c.id FROM psp_capture c WHERE c.order_id = ${o} ORDER BY c.captured_at, c.id LIMIT 1)`;
export const capturedAtOfOrder = (o: string) => `(SELECT MIN(c.captured_at) FROM psp_capture c WHERE c.order_id = ${o})`;
export const paymentOfOrder = (o: string) => `(SELECT p.id FROM psp_payment p WHERE p.order_id = ${o} ORDER BY p.status = 'COMPLETED' DESC, p.created_at, p.id LIMIT 1)`;
export const batchOf = (ref: string) => `(SELECT MIN(sl.settlement_id) FROM psp_settlement_line sl WHERE sl.psp_reference = ${ref})`;
/** What the ERP holds for the order's sale side (invoice or capture postings). */
export const saleErpStatusOf = (o: string) => `(SELECT CASE WHEN SUM(e.status = 'POSTED') > 0 THEN 'POSTED' WHEN COUNT(*) > 0 THEN 'REJECTED' ELSE 'NOT_POSTED' END
  FROM erp_posting e WHERE e.order_id = ${o} AND e.kind IN ('INVOICE', 'CAPTURE'))`;
export const omsStatusOf = (o: string) => `COALESCE((SELECT o2.status FROM oms_order o2 WHERE o2.id = ${o}), 'NOT_CREATED')`;
export const saleInvoiceOf = (o: string) => `(SELECT MIN(i2.id) FROM oms_invoice i2 WHERE i2.order_id = ${o} AND i2.kind = 'OUTPUT')`;
/** "49.99 EUR" from minor units and a currency, in SQL (the exponents of src/shared/money.ts). */
const EXP_OF = (c: string) => {
  const by = new Map<number, string[]>();
  for (const [code, exp] of Object.entries(CURRENCY_EXPONENTS)) if (exp !== 2) by.set(exp, [...(by.get(exp) ?? []), code]);
  return `CASE ${[...by].map(([exp, codes]) => `WHEN ${c} IN (${codes.map((x) => `'${x}'`).join(', ')}) THEN ${exp}`).join(' ')} ELSE 2 END`;
};
export const moneyText = (minor: string, currency: string) => `CONCAT(IF(${minor} < 0, '-', ''),
  IF(${EXP_OF(currency)} = 0, CAST(ABS(${minor}) AS CHAR),
    CONCAT(ABS(${minor}) DIV POW(10, ${EXP_OF(currency)}), '.', LPAD(ABS(${minor}) MOD POW(10, ${EXP_OF(currency)}), ${EXP_OF(currency)}, '0'))), ' ', ${currency})`;
export const ago = (param: string) => `DATE_SUB(:now, INTERVAL :${param} SECOND)`;
