/**
 * The refund comparison in SQL: per PSP refund id, the PSP/OMS ledger side against the ERP's
 * refund postings, in consecutive ranges of refund ids read in index order from covering indexes
 * on both sides (so each join probe lands next to the previous one).
 */

/** A range (lo, hi] of PSP refund ids; null bounds are open. */
export interface RefRange {
  lo: string | null;
  hi: string | null;
}
export const ALL: RefRange = { lo: null, hi: null };

export const refundPeriod = `r.psp_refund_id IS NOT NULL AND COALESCE(r.completed_at, r.updated_at) >= :from AND COALESCE(r.completed_at, r.updated_at) < :to
  AND (:currency IS NULL OR r.currency = :currency)`;
export const inRange = (col: string, r: RefRange) => `${r.lo === null ? '' : `AND ${col} > :lo `}${r.hi === null ? '' : `AND ${col} <= :hi`}`;

/**
 * One row per PSP refund id of the period with the ERP's side aggregated beside it, and the
 * discrepancy kind (NULL when both sides agree). Only ERP postings of the same currency count as
 * the ERP amount; a posting in another currency is an amount mismatch.
 */
function refundSideSql(range: RefRange, onlyDisagreeing = false): string {
  return `SELECT t.*,
      CASE WHEN t.psp_status = 'SUCCEEDED' AND t.posted + t.posted_other = 0 AND t.rejected = 0 THEN 'MISSING_IN_ERP'
           WHEN t.psp_status = 'SUCCEEDED' AND t.posted + t.posted_other = 0 THEN 'STATUS_MISMATCH'
           WHEN t.psp_status <> 'SUCCEEDED' AND t.posted + t.posted_other > t.reversed THEN 'STATUS_MISMATCH'
           WHEN t.psp_status = 'SUCCEEDED' AND t.reversed > 0 THEN 'STATUS_MISMATCH'
           WHEN t.posted + t.posted_other > 1 THEN 'DUPLICATE_IN_ERP'
           WHEN t.psp_status = 'SUCCEEDED' AND (t.posted_other > 0 OR t.erp_amount <> t.psp_amount)
             THEN IF(t.revised > 1, 'PARTIAL_REFUND_OVERWRITTEN', 'AMOUNT_MISMATCH')
      END AS kind,
      CASE WHEN t.posted + t.posted_other > 1 THEN 'DUPLICATE' WHEN t.posted + t.posted_other = 1 THEN IF(t.revised > 1, 'REVISED', 'POSTED')
           WHEN t.rejected > 0 THEN 'REJECTED' ELSE 'NOT_POSTED' END AS erp_status
    FROM (SELECT r.psp_refund_id AS ref, MAX(r.order_id) AS order_id, MAX(r.currency) AS currency, MAX(r.status) AS psp_status,
            MAX(IF(r.status = 'SUCCEEDED', r.amount_minor, 0)) AS psp_amount, MAX(COALESCE(r.completed_at, r.updated_at)) AS occurred_at,
            COUNT(e.id) AS docs,
            COALESCE(SUM(e.status = 'POSTED' AND e.currency = r.currency), 0) AS posted,
            COALESCE(SUM(e.status = 'POSTED' AND e.currency <> r.currency), 0) AS posted_other,
            COALESCE(SUM(IF(e.status = 'POSTED' AND e.currency = r.currency, ABS(e.amount_minor), 0)), 0) AS erp_amount,
            COALESCE(SUM(e.status = 'REJECTED'), 0) AS rejected,
            COALESCE(MAX(IF(e.status = 'POSTED', e.source_version, 0)), 0) AS revised,
            -- A refund the PSP reversed (or failed after it succeeded) is netted in the books by a reversing posting.
            (SELECT COUNT(*) FROM erp_posting x WHERE x.external_ref = CONCAT(r.psp_refund_id, ':', 'reversal') AND x.kind = 'REFUND' AND x.status = 'POSTED') AS reversed
          FROM refund r FORCE INDEX (idx_refund_reconcile)
          LEFT JOIN erp_posting e FORCE INDEX (idx_erp_posting_reconcile) ON e.external_ref = r.psp_refund_id AND e.kind = 'REFUND'
          WHERE ${refundPeriod} ${inRange('r.psp_refund_id', range)}
          GROUP BY r.psp_refund_id
          ${onlyDisagreeing ? AGREES_NOT : ''}) t`;
}

/**
 * The negation of "both sides agree", on the aggregates: lets the database drop agreeing ids while
 * grouping, so only the disagreeing ones are ever materialised.
 */
const AGREES_NOT = `HAVING NOT IF(psp_status = 'SUCCEEDED', posted = 1 AND posted_other = 0 AND erp_amount = psp_amount AND reversed = 0, posted + posted_other = reversed)`;

/** ERP refund postings of the period whose refund id the ledger has never seen. */
export const erpOnlySql = (range: RefRange) => `SELECT g.ref,
    (SELECT MAX(e2.order_id) FROM erp_posting e2 WHERE e2.external_ref = g.ref AND e2.kind = 'REFUND') AS order_id,
    g.currency, NULL AS psp_status, 0 AS psp_amount, g.occurred_at, g.docs, g.docs AS posted, 0 AS posted_other, g.erp_amount,
    0 AS rejected, g.revised, 0 AS reversed, 'MISSING_AT_PSP' AS kind, IF(g.docs > 1, 'DUPLICATE', 'POSTED') AS erp_status
  FROM (SELECT e.external_ref AS ref, MAX(e.currency) AS currency, MIN(e.posted_at) AS occurred_at, COUNT(*) AS docs,
          SUM(ABS(e.amount_minor)) AS erp_amount, MAX(e.source_version) AS revised
        FROM erp_posting e FORCE INDEX (idx_erp_posting_reconcile)
        WHERE e.kind = 'REFUND' AND e.status = 'POSTED' AND e.posted_at >= :from AND e.posted_at < :to AND (:currency IS NULL OR e.currency = :currency)
          ${inRange('e.external_ref', range)}
          AND NOT EXISTS (SELECT 1 FROM refund r2 WHERE r2.psp_refund_id = e.external_ref)
          -- the reversing posting of a refund ("<id>" followed by ":" and "reversal") is netted with it, not a refund of its own
          AND NOT (e.external_ref LIKE CONCAT('%:', 'reversal') AND EXISTS (SELECT 1 FROM refund r3 WHERE r3.psp_refund_id = SUBSTRING(e.external_ref, 1, CHAR_LENGTH(e.external_ref) - 9)))
        GROUP BY e.external_ref) g`;

/** Both sides of a range: every compared refund id, agreeing or not. */
export const comparedSql = (range: RefRange, onlyDisagreeing = false) => `${refundSideSql(range, onlyDisagreeing)} UNION ALL ${erpOnlySql(range)}`;

/** The columns a variance row is made of, from a compared row `t`. */
export const VARIANCE_SELECT = `t.ref, t.kind, CASE t.kind WHEN 'MISSING_IN_ERP' THEN 'PSP' WHEN 'MISSING_AT_PSP' THEN 'ERP' ELSE 'BOTH' END AS record_in,
  t.order_id, t.currency, IF(t.psp_status IS NULL, NULL, t.psp_amount) AS psp_amount, IF(t.docs = 0, NULL, t.erp_amount) AS erp_amount,
  t.psp_amount - t.erp_amount AS delta, t.psp_status, t.erp_status,
  (SELECT LEFT(GROUP_CONCAT(e.id ORDER BY e.posted_at, e.id SEPARATOR ','), 512) FROM erp_posting e WHERE e.external_ref = t.ref AND e.kind = 'REFUND') AS doc_ids,
  t.occurred_at,
  COALESCE((SELECT MIN(v.first_detected_at) FROM reconciliation_variance v WHERE v.refund_ref = t.ref AND v.kind = t.kind), :now) AS first_detected_at`;
