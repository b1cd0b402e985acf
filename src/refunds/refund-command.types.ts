/** The refund commands' input and result, shared by the command and its steps (intent, idempotency, plans). */
import type { CustomerIdentifier } from './refund-rules';
import type { BusinessError } from '../shared/errors';
import type { RefundEntity } from './entities/refund.entity';

export interface RefundInvoiceInput {
  orderId: string;
  invoiceId: string;
  /** Decimal string in the order's currency; omitted → what is pending on the invoice. */
  amount?: string | null;
  currencyCode?: string | null;
  /** Pins the payment to refund; omitted → the first captured payment that can refund the amount. */
  paymentId?: string | null;
  reason: string;
  idempotencyKey: string;
}

export interface CreditPaymentMethodInput {
  orderId: string;
  paymentMethodId: string;
  amount?: string | null;
  currencyCode?: string | null;
  customer?: CustomerIdentifier | null;
  reason: string;
  idempotencyKey: string;
}

export interface RefundCommandResult {
  refund: RefundEntity | null;
  /** The order the payload shows (null when it is unknown). */
  orderId: string | null;
  userErrors: BusinessError[];
}
