/** The PSP simulator's records: payments, payment methods, captures, refunds and settlements. */

export const PAYMENT_STATUSES = ['AUTHORIZED', 'COMPLETED', 'CANCELED', 'FAILED'] as const;
export const METHOD_TYPES = ['CARD', 'BANK_ACCOUNT', 'WALLET'] as const;
export const METHOD_STATUSES = ['ACTIVE', 'CANCELED', 'EXPIRED', 'DELETED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export type MethodType = (typeof METHOD_TYPES)[number];
export type MethodStatus = (typeof METHOD_STATUSES)[number];

export interface PspPayment {
  id: string;
  orderId: string | null;
  method: MethodType;
  paymentMethodId: string;
  paymentMethodStatus: MethodStatus;
  customerId: string | null;
  status: PaymentStatus;
  disputed: boolean;
  /** Not part of payment.upserted: only decides which of seed 004's dispute errors applies. */
  fraud: boolean;
  authorized: bigint;
  currency: string;
  createdAt: string;
  version: number;
}
export interface PspPaymentMethod {
  id: string;
  type: MethodType;
  status: MethodStatus;
  customerId: string | null;
  currency: string;
}
export interface PspCapture {
  id: string;
  paymentId: string;
  orderId: string | null;
  amount: bigint;
  currency: string;
  capturedAt: string;
  settled: boolean;
}
export interface PspRefund {
  refundId: string;
  merchantTransactionId: string;
  status: 'SUCCEEDED' | 'FAILED' | 'REVERSED';
  amount: bigint | null;
  currency: string | null;
  paymentId: string | null;
  paymentMethodId: string | null;
  orderId: string | null;
  invoiceNumber: string | null;
  reason: string | null;
  error: { code?: string; description: string } | null;
  createdAt: string;
  version: number;
  settled: boolean;
}
export interface SettlementLine {
  id: string;
  kind: 'CAPTURE' | 'REFUND' | 'FEE' | 'CHARGEBACK';
  pspReference: string;
  orderId: string | null;
  gross: bigint;
  fee: bigint;
  net: bigint;
  currency: string;
}
export interface PspSettlement {
  id: string;
  currency: string;
  settledAt: string;
  lines: SettlementLine[];
  version: number;
}

export interface PspState {
  payments: Map<string, PspPayment>;
  paymentMethods: Map<string, PspPaymentMethod>;
  captures: Map<string, PspCapture>;
  refunds: Map<string, PspRefund>;
  /** merchantTransactionId → refundId; a refund record exists for every id in here. */
  merchantTransactionIds: Map<string, string>;
  settlements: Map<string, PspSettlement>;
}
