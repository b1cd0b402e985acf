/** The vocabulary of a refund's outcome: where it comes from, what it says, and what the PSP reports. */
import type { PspRefund } from '../systems/psp';

/**
 * Where an outcome comes from. PSP_WEBHOOK is a claim: it may move a refund forward out of flight
 * (to SUCCEEDED), never backwards — a reported failure or reversal waits for the PSP's record
 * (VERIFIED). RECOVERY, SYNC and VERIFIED apply the PSP's record as read back from it.
 */
export type OutcomeSource = 'PSP_ANSWER' | 'PSP_WEBHOOK' | 'RECOVERY' | 'SYNC' | 'VERIFIED';

export interface RefundOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'REVERSED';
  /**
   * The outcome is the PSP's own record of the refund, read back from it (or its synchronous
   * success answer, version 1). Only such a record can turn a refund that had succeeded into a
   * failed one, or one recorded as failed into a succeeded one; a webhook or a rejection never can.
   */
  fromPspRecord: boolean;
  /** The record's version at the PSP, when known: an older record than the one applied changes nothing. */
  version?: bigint | null;
  /** When the PSP says the refund happened (its own timestamp); the time moneygraph heard of it is kept beside it. */
  occurredAt?: Date | null;
  source: OutcomeSource;
  pspRefundId?: string | null;
  amountMinor?: bigint | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** The PSP's answer or event, kept verbatim as the receipt. */
  receipt?: unknown;
}

/** What the PSP reports about one refund: its record or a webhook's claim (the PSP module's one shape). */
export type PspRefundReport = PspRefund;
