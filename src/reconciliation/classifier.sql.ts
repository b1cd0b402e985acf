/**
 * The exception classifier as set-based SQL: one SELECT per kind, each yielding the same evidence
 * columns, combined with UNION ALL into one INSERT … ON DUPLICATE KEY UPDATE. Nothing loops over
 * orders; each branch starts from the anomaly and reaches its evidence through indexed lookups.
 *
 * Parameters: :now, :seq, :inFlightSeconds, :graceSeconds, :invoiceGraceSeconds, :driftSeconds, :omsKeepsCopy, :cutoffHour, :webhookWaitSeconds.
 */

import { COLS } from './classifier.fragments';
import { BOOKS_BRANCHES } from './classifier.branches-books';
import { ORDER_BRANCHES } from './classifier.branches-orders';

/** One SELECT per kind (or group of kinds), in the order they are combined. */
const BRANCHES: Record<string, string> = { ...ORDER_BRANCHES, ...BOOKS_BRANCHES };

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
