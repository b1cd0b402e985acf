/**
 * The PSP port: what moneygraph needs of a payment service provider, whoever it is. Each adapter
 * (the in-house contract, Stripe, …) implements it and declares what it can do, so the refund
 * ledger never assumes more of a PSP than it offers. The canonical records (PspRefund,
 * PspRefundResult) are the only language across the port; errors reach it through the one
 * normalizer (psp-errors.ts).
 */
import type { RequestContext } from '../../db/context';
import type { InboundWebhookPort } from '../../core/inbound-webhooks';
import type { ErrorCode } from '../../shared/errors';
import type { PspRefund } from './psp-refund';
import type { SettlementLineKind } from './entities';

export interface PspCapabilities {
  /** How a refund is found again by our key: the PSP looks it up itself, we scan the payment's refunds for our metadata, or not at all. */
  refundLookup: 'native' | 'metadata-scan' | 'none';
  /** How long the PSP replays a request by its Idempotency-Key; null: for ever. */
  idempotencyWindowMs: number | null;
  /** Whether a 2xx refund answer is the outcome ('final') or may be only accepted and pending ('accepted'). */
  syncRefundAnswer: 'final' | 'accepted';
}

export type PspRefundResult =
  | { kind: 'succeeded'; record: PspRefund }
  /** A definite rejection: the PSP did nothing. */
  | { kind: 'rejected'; code: ErrorCode; message: string; raw: unknown }
  /** "Refund already exists for the given merchantTransactionId": fetch it and adopt it. */
  | { kind: 'already-exists' }
  /** Accepted, not decided yet (Stripe's pending / requires_action): the refund stays in flight until the PSP's record says. */
  | { kind: 'pending'; pspRefundId: string; raw: unknown }
  /** Timeout, network, 5xx, circuit open, unreadable answer: the PSP may have acted. */
  | { kind: 'unknown'; reason: string };

export interface CreateRefundRequest {
  paymentId?: string;
  paymentMethodId?: string;
  amountMinor?: bigint;
  currency: string;
  merchantTransactionId: string;
  reason: string;
  customer?: { hsid?: string; enterpriseId?: string; metadata?: Record<string, string> };
  metadata?: { orderId?: string; invoiceNumber?: string };
}

/** Where a refund was sent before: an adapter with a finite idempotency window looks it up rather than post past the window. */
export interface RefundAttempt {
  /** When the refund was first sent; null for a first attempt. */
  firstSentAt: Date | null;
}

/** What the PSP holds under our key: its record, a refund still being decided, or nothing. */
export type PspRefundLookup = { state: 'recorded'; record: PspRefund } | { state: 'pending'; pspRefundId: string } | { state: 'absent' };

export interface PspOrderRecords {
  payments: unknown[];
  captures: unknown[];
  refunds: PspRefund[];
  /** Refunds the PSP accepted and has not decided yet (Stripe's pending, requires_action); absent when the PSP decides every refund at once. */
  undecided?: PspUndecidedRefund[];
}

/** A refund the PSP holds undecided: it may still move money, so nothing may pay its invoice meanwhile. */
export interface PspUndecidedRefund {
  pspRefundId: string;
  merchantTransactionId: string | null;
  invoiceNumber: string | null;
  amountMinor: bigint;
  currency: string | null;
}

/** A settlement batch as the PSP closed it (the in-house `settlement.closed`, a Stripe payout): amounts in minor units, a line per movement. */
export interface PspSettlementRecord {
  id: string;
  currency: string;
  settledAt: Date;
  lines: { id: string; kind: SettlementLineKind; pspReference: string; orderId: string | null; gross: bigint; fee: bigint; net: bigint; currency: string }[];
}

export interface PspPort {
  /** The configured instance id (PSP_ADAPTERS); each payment remembers the one that took it. */
  readonly id: string;
  readonly kind: string;
  readonly capabilities: PspCapabilities;
  readonly webhooks: InboundWebhookPort;
  /** Never throws for an upstream failure: the outcome is one of PspRefundResult. */
  createRefund(ctx: RequestContext, req: CreateRefundRequest, attempt?: RefundAttempt): Promise<PspRefundResult>;
  /** By our key (and the payment it was for, which a metadata scan needs). Throws UpstreamError when the PSP cannot be asked. */
  lookupRefund(ctx: RequestContext, merchantTransactionId: string, paymentId: string | null): Promise<PspRefundLookup>;
  /** The PSP's decided record of one refund by its id there; null when it holds none (or has not decided it). Throws UpstreamError when unreachable. */
  getRefund(ctx: RequestContext, pspRefundId: string): Promise<PspRefund | null>;
  /** Everything the PSP holds for an order, in the canonical webhook shapes. Throws UpstreamError when unreachable. */
  getOrderRecords(ctx: RequestContext, orderId: string): Promise<PspOrderRecords>;
  /** One closed settlement batch as the PSP holds it, all its lines read; null when it has none (or not closed). Absent: the PSP pushes its batches whole. */
  getSettlement?(ctx: RequestContext, settlementId: string): Promise<PspSettlementRecord | null>;
  /** The ids of the batches the PSP closed since `since`, newest first. Absent with getSettlement. */
  listSettlements?(ctx: RequestContext, since: Date): Promise<string[]>;
}
