import type { ErrorCode } from '../../shared/errors';

/**
 * What the PSP says about one refund — the one shape from the PSP module to the refund ledger,
 * whether it comes from the PSP's own record (the synchronous answer, a read-back by key, id or
 * order) or from a signed webhook, which is a claim to check, not a fact.
 */
export interface PspRefund {
  pspRefundId: string;
  /** Our key; every record carries it, a webhook may not. */
  merchantTransactionId: string | null;
  status: 'SUCCEEDED' | 'FAILED' | 'REVERSED';
  /** Money moved; null when the PSP does not say, and always for a failed record (it moved nothing). */
  amountMinor: bigint | null;
  currency: string | null;
  paymentId: string | null;
  paymentMethodId: string | null;
  orderId: string | null;
  invoiceNumber: string | null;
  /** For failures: one canonical code, whatever shape the PSP's error had. */
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  /** The record's version at the PSP (the synchronous answer is version 1); null for a webhook, which carries none. */
  version: bigint | null;
  /** The refund's own time at the PSP. */
  occurredAt: Date | null;
  /** What the PSP sent, verbatim (the receipt). */
  raw: unknown;
  /** The PSP adapter instance the record or claim came from, when it says (vendor adapters do); else the payment's. */
  pspAdapterId?: string | null;
}
