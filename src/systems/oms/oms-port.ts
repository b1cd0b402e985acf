/**
 * The OMS port: what moneygraph needs of an order management system, whoever it is. Each adapter
 * (the in-house contract, VTEX) implements it and declares what it does by itself, so the refund
 * ledger never pays a return the OMS refunds on its own, and never claims an invoiceData copy the
 * OMS does not keep. The canonical records (the webhook contract's shapes) are the only language
 * across the port.
 */
import type { RequestContext } from '../../db/context';

export interface OmsCapabilities {
  /** Whether the OMS keeps its own copy of invoiceData (what it believes each return invoice has been refunded). */
  keepsInvoiceData: boolean;
  /** Whether a return (INPUT) invoice makes the OMS refund the payment by itself: moneygraph then observes and reconciles, never refunds. */
  refundsReturnInvoicesItself: boolean;
  /** How order changes arrive: signed full records pushed ('push'), or thin notifications that make us read the order back ('notify-and-read'), with a pull feed as the backup. */
  events: 'push' | 'notify-and-read';
  /** Whether a pull feed backs the pushed events up. */
  pullFeed: boolean;
}

export interface OmsInteraction {
  id: string;
  orderId: string;
  kind: string;
  message: string;
  refundId?: string | null;
}

export interface OmsPort {
  readonly kind: 'inhouse' | 'vtex';
  readonly capabilities: OmsCapabilities;
  /** The order, its invoices and interactions in canonical shapes; null when the OMS does not know it. Throws UpstreamError when it cannot be asked. */
  getOrder(ctx: RequestContext, orderId: string): Promise<OmsOrderRecords | null>;
  /** Adds a timeline interaction; the id makes a retry harmless. */
  addInteraction(ctx: RequestContext, i: OmsInteraction): Promise<void>;
  /** Replaces the OMS's copy of invoiceData; only for an OMS that keeps one (keepsInvoiceData). */
  putInvoiceData(
    ctx: RequestContext,
    orderId: string,
    entries: { invoiceNumber: string; refundedMinor: bigint; refundIds: string[] }[],
    idempotencyKey: string,
  ): Promise<{ version: bigint }>;
}

/** Records in the webhook contract's shapes (docs/upstream-contracts.md), amounts as digit strings, so they are applied exactly as the events would be. */
type Loose = { [k: string]: unknown };
export type OmsOrderWire = Loose & { id: string; currency: string; total: string; version: string | number };
export type OmsInvoiceWire = Loose & { number: string; orderId: string; amount: string; currency: string };
export type OmsInteractionWire = Loose & { id: string; orderId: string };
export interface OmsInvoiceDataEntry {
  invoiceNumber: string;
  refundedMinor: bigint;
  refundIds: string[];
}
/** A refund the OMS made by itself (refundsReturnInvoicesItself), as its payments system records it. */
export interface OmsOwnRefund {
  /** The payment system's id of the refund. */
  refundId: string;
  /** The payment transaction it refunds. */
  transactionId: string;
  status: 'SUCCEEDED' | 'FAILED';
  amountMinor: bigint;
  currency: string;
  /** The return invoice it answers, when it can be told (null: none matches). */
  invoiceNumber: string | null;
  occurredAt: Date | null;
  raw: unknown;
}

export interface OmsOrderRecords {
  order: OmsOrderWire;
  invoices: OmsInvoiceWire[];
  interactions: OmsInteractionWire[];
  /** The OMS's own copy of invoiceData; null for an OMS that keeps none (keepsInvoiceData false). */
  invoiceData: { version: bigint; entries: OmsInvoiceDataEntry[] } | null;
  /** The refunds the OMS made by itself for the order's return invoices (refundsReturnInvoicesItself); empty otherwise. */
  ownRefunds: OmsOwnRefund[];
}
