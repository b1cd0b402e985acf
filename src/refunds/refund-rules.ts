/**
 * The refund rules of DESIGN §4 / seed 004 (pure). Each failure is a BusinessError with its own
 * stable code; the service checks them under the order lock, before the PSP is ever called.
 */
import { BusinessError, ErrorCode } from '../shared/errors';
import { formatMinor, MoneyError, parseDecimal } from '../shared/money';

const AMOUNT = ['input', 'amount'];

/** A decimal string in the order's currency → minor units; null when the client gave none. */
export function parseRefundAmount(text: string | null | undefined, currency: string): bigint | null {
  if (text === null || text === undefined) return null;
  let minor: bigint;
  try {
    minor = parseDecimal(text, currency);
  } catch (e) {
    if (e instanceof MoneyError) throw new BusinessError(ErrorCode[e.code], e.message, AMOUNT);
    throw e;
  }
  if (minor <= 0n) throw new BusinessError(ErrorCode.AMOUNT_NOT_POSITIVE, 'The amount must be greater than zero', AMOUNT);
  return minor;
}

export function checkCurrency(given: string | null | undefined, orderCurrency: string): void {
  if (given && given !== orderCurrency) {
    throw new BusinessError(ErrorCode.CURRENCY_MISMATCH, `The order is in ${orderCurrency}, not ${given}`, ['input', 'currencyCode']);
  }
}

export interface InvoiceFacts {
  id: string;
  orderId: string;
  kind: 'INPUT' | 'OUTPUT';
}

export function checkInvoice(invoice: InvoiceFacts | null, invoiceId: string, orderId: string): void {
  const field = ['input', 'invoiceId'];
  if (!invoice) throw new BusinessError(ErrorCode.INVOICE_NOT_FOUND, `Invoice ${invoiceId} is unknown`, field);
  if (invoice.orderId !== orderId) throw new BusinessError(ErrorCode.INVOICE_NOT_OF_ORDER, `Invoice ${invoiceId} belongs to another order`, field);
  if (invoice.kind !== 'INPUT') throw new BusinessError(ErrorCode.INVOICE_NOT_RETURN, `Invoice ${invoiceId} is a sale (OUTPUT), not a return`, field);
}

export interface PaymentFacts {
  id: string;
  status: string;
  disputed: boolean;
  methodStatus: string;
  currency: string;
  capturedMinor: bigint;
  refundedMinor: bigint;
  refundableMinor: bigint;
}

/**
 * The amount to refund on an INPUT invoice and the payment to refund it from. `requested` null
 * means "what is pending". Payments are tried in order; when none fits, the error is the one of
 * the payment that came closest (the PSP's own order of checks).
 */
export function planLinkedRefund(p: {
  currency: string;
  requestedMinor: bigint | null;
  pendingMinor: bigint;
  inFlightMinor: bigint;
  payments: PaymentFacts[];
  paymentId?: string | null;
}): { amountMinor: bigint; paymentId: string } {
  const fmt = (v: bigint) => `${formatMinor(v, p.currency)} ${p.currency}`;
  if (p.pendingMinor <= 0n) {
    throw new BusinessError(
      ErrorCode.NOTHING_PENDING,
      p.inFlightMinor > 0n ? `Nothing is pending on this invoice: ${fmt(p.inFlightMinor)} is already being refunded` : 'Nothing is pending on this invoice: it is fully refunded',
      ['input', 'invoiceId'],
    );
  }
  const amount = p.requestedMinor ?? p.pendingMinor;
  if (amount > p.pendingMinor) throw new BusinessError(ErrorCode.AMOUNT_EXCEEDS_PENDING, `At most ${fmt(p.pendingMinor)} is pending on this invoice`, AMOUNT);

  let candidates = p.payments.filter((x) => x.currency === p.currency);
  if (p.paymentId) {
    candidates = p.payments.filter((x) => x.id === p.paymentId);
    if (candidates.length === 0) throw new BusinessError(ErrorCode.PAYMENT_NOT_FOUND, `Payment ${p.paymentId} is not a payment of this order`, ['input', 'paymentId']);
  }
  if (candidates.length === 0) throw new BusinessError(ErrorCode.PAYMENT_NOT_FOUND, 'The order has no payment to refund', ['input', 'orderId']);
  let closest: { rank: number; error: BusinessError } | undefined;
  for (const pay of candidates) {
    const r = paymentRule(pay, amount, fmt);
    if (!r) return { amountMinor: amount, paymentId: pay.id };
    if (!closest || r.rank > closest.rank) closest = r;
  }
  throw closest!.error;
}

/** The first rule the payment breaks for this amount (seed 004's order), ranked by how far it got. */
function paymentRule(pay: PaymentFacts, amount: bigint, fmt: (v: bigint) => string): { rank: number; error: BusinessError } | null {
  const field = ['input', 'paymentId'];
  const fail = (rank: number, code: ErrorCode, msg: string, f = field) => ({ rank, error: new BusinessError(code, msg, f) });
  if (pay.status === 'FAILED' || pay.status === 'CANCELED') return fail(0, ErrorCode.PAYMENT_NOT_REFUNDABLE, `Payment ${pay.id} is ${pay.status} and cannot be refunded`);
  if (pay.status === 'AUTHORIZED') return fail(1, ErrorCode.PAYMENT_NOT_CAPTURED, `Payment ${pay.id} is only authorized: capture it first, or cancel it`);
  if (pay.status !== 'COMPLETED') return fail(0, ErrorCode.PAYMENT_NOT_REFUNDABLE, `Payment ${pay.id} is ${pay.status} and cannot be refunded`);
  if (pay.disputed) return fail(2, ErrorCode.PAYMENT_DISPUTED, `Payment ${pay.id} is in dispute and cannot be refunded`);
  if (pay.capturedMinor > 0n && pay.refundedMinor >= pay.capturedMinor) return fail(3, ErrorCode.PAYMENT_ALREADY_REFUNDED, `Payment ${pay.id} is already fully refunded`);
  if (amount > pay.refundableMinor) {
    return fail(4, ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE, `Payment ${pay.id} can refund at most ${fmt(pay.refundableMinor)} (captured, less refunded and in flight)`, AMOUNT);
  }
  if (pay.methodStatus !== 'ACTIVE') return fail(5, ErrorCode.PAYMENT_METHOD_INACTIVE, `The payment method of ${pay.id} is ${pay.methodStatus.toLowerCase()}`);
  return null;
}

export interface CustomerIdentifier {
  hsid?: string | null;
  enterpriseId?: string | null;
  metadata?: Record<string, string> | null;
}

function hasCustomerIdentifier(c: CustomerIdentifier | null | undefined): boolean {
  return Boolean(c && (c.hsid?.trim() || c.enterpriseId?.trim() || (c.metadata && Object.keys(c.metadata).length > 0)));
}

/** A credit to a payment method (unlinked refund): checked in the PSP's order (13, 14, 12, 15). */
export function checkCredit(p: {
  amountMinor: bigint | null;
  currency: string;
  customer: CustomerIdentifier | null | undefined;
  method: { id: string; kind: string; status: string } | null;
  paymentMethodId: string;
  creditLimitMinor: bigint;
}): bigint {
  if (p.amountMinor === null) throw new BusinessError(ErrorCode.AMOUNT_REQUIRED, 'A credit to a payment method needs an amount', AMOUNT);
  if (!hasCustomerIdentifier(p.customer)) {
    throw new BusinessError(ErrorCode.CUSTOMER_IDENTIFIER_REQUIRED, 'A credit needs a customer identifier: hsid, enterpriseId or metadata', ['input', 'customer']);
  }
  const field = ['input', 'paymentMethodId'];
  if (!p.method || p.method.status === 'DELETED') throw new BusinessError(ErrorCode.PAYMENT_METHOD_NOT_FOUND, `Payment method ${p.paymentMethodId} is unknown or deleted`, field);
  if (p.method.kind === 'BANK_ACCOUNT') throw new BusinessError(ErrorCode.CREDIT_TO_BANK_ACCOUNT, 'Credit is not allowed to bank accounts', field);
  if (p.method.status !== 'ACTIVE') throw new BusinessError(ErrorCode.PAYMENT_METHOD_INACTIVE, `Payment method ${p.paymentMethodId} is ${p.method.status.toLowerCase()}`, field);
  if (p.amountMinor > p.creditLimitMinor) {
    throw new BusinessError(ErrorCode.CREDIT_LIMIT_EXCEEDED, `A credit may be at most ${formatMinor(p.creditLimitMinor, p.currency)} ${p.currency}`, AMOUNT);
  }
  return p.amountMinor;
}
