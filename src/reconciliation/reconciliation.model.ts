/** What a refund reconciliation reports: its verdicts, totals, event counts and variance rows. */
import { big, bigOrNull } from './sql';
import { Period } from './period';

export enum DiscrepancyKind {
  MISSING_IN_ERP = 'MISSING_IN_ERP',
  MISSING_AT_PSP = 'MISSING_AT_PSP',
  AMOUNT_MISMATCH = 'AMOUNT_MISMATCH',
  STATUS_MISMATCH = 'STATUS_MISMATCH',
  DUPLICATE_IN_ERP = 'DUPLICATE_IN_ERP',
  PARTIAL_REFUND_OVERWRITTEN = 'PARTIAL_REFUND_OVERWRITTEN',
}

export enum ReconciliationStatus {
  /** Positive confirmation: events were seen and every refund id agrees. */
  CLEAN = 'CLEAN',
  VARIANCE = 'VARIANCE',
  /** Nothing arrived where something was expected: a broken feed must not look like a clean period. */
  NO_EVENTS_ALARM = 'NO_EVENTS_ALARM',
}

export interface CurrencyTotals {
  currency: string;
  pspTotalMinor: bigint;
  erpTotalMinor: bigint;
  varianceMinor: bigint;
  refundCount: number;
}

export interface EventCounts {
  pspRefunds: number;
  erpRefundPostings: number;
  erpPostings: number;
  captures: number;
  orders: number;
  webhookEvents: number;
}

export interface ReconciliationResult {
  id: string | null;
  period: Period;
  currency: string | null;
  status: ReconciliationStatus;
  confirmation: string;
  totals: CurrencyTotals[];
  events: EventCounts;
  varianceCount: number;
  varianceByKind: Record<string, number>;
  requestedBy: string;
  startedAt: Date;
  finishedAt: Date;
}

export interface VarianceRow {
  refundRef: string;
  kind: DiscrepancyKind;
  recordIn: 'PSP' | 'ERP' | 'BOTH';
  orderId: string | null;
  currency: string;
  pspAmountMinor: bigint | null;
  erpAmountMinor: bigint | null;
  deltaMinor: bigint;
  pspStatus: string | null;
  erpStatus: string | null;
  erpDocumentIds: string[];
  occurredAt: Date | null;
  firstDetectedAt: Date;
}

export type Progress = (done: number, total: number, stage: string) => void;

export function toVarianceRow(r: Record<string, unknown>): VarianceRow {
  return {
    refundRef: String(r.ref),
    kind: r.kind as DiscrepancyKind,
    recordIn: r.record_in as VarianceRow['recordIn'],
    orderId: (r.order_id as string | null) ?? null,
    currency: String(r.currency),
    pspAmountMinor: bigOrNull(r.psp_amount),
    erpAmountMinor: bigOrNull(r.erp_amount),
    deltaMinor: big(r.delta),
    pspStatus: (r.psp_status as string | null) ?? null,
    erpStatus: (r.erp_status as string | null) ?? null,
    erpDocumentIds: r.doc_ids ? String(r.doc_ids).split(',') : [],
    occurredAt: r.occurred_at ? new Date(r.occurred_at as Date) : null,
    firstDetectedAt: new Date(r.first_detected_at as Date),
  };
}
