"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BusinessError = exports.ErrorCode = void 0;
/**
 * Every expected business outcome has one stable code. Clients (the admin UI) switch on these;
 * never rename one.
 */
var ErrorCode;
(function (ErrorCode) {
    // input
    ErrorCode["INVALID_AMOUNT"] = "INVALID_AMOUNT";
    ErrorCode["AMOUNT_NOT_POSITIVE"] = "AMOUNT_NOT_POSITIVE";
    ErrorCode["AMOUNT_TOO_PRECISE"] = "AMOUNT_TOO_PRECISE";
    ErrorCode["AMOUNT_TOO_LARGE"] = "AMOUNT_TOO_LARGE";
    ErrorCode["UNSUPPORTED_CURRENCY"] = "UNSUPPORTED_CURRENCY";
    ErrorCode["CURRENCY_MISMATCH"] = "CURRENCY_MISMATCH";
    // lookups
    ErrorCode["ORDER_NOT_FOUND"] = "ORDER_NOT_FOUND";
    ErrorCode["INVOICE_NOT_FOUND"] = "INVOICE_NOT_FOUND";
    ErrorCode["INVOICE_NOT_OF_ORDER"] = "INVOICE_NOT_OF_ORDER";
    ErrorCode["INVOICE_NOT_RETURN"] = "INVOICE_NOT_RETURN";
    ErrorCode["PAYMENT_NOT_FOUND"] = "PAYMENT_NOT_FOUND";
    ErrorCode["PAYMENT_METHOD_NOT_FOUND"] = "PAYMENT_METHOD_NOT_FOUND";
    // refund rules (seed 004)
    ErrorCode["AMOUNT_EXCEEDS_PENDING"] = "AMOUNT_EXCEEDS_PENDING";
    ErrorCode["NOTHING_PENDING"] = "NOTHING_PENDING";
    ErrorCode["AMOUNT_EXCEEDS_REFUNDABLE"] = "AMOUNT_EXCEEDS_REFUNDABLE";
    ErrorCode["PAYMENT_NOT_CAPTURED"] = "PAYMENT_NOT_CAPTURED";
    ErrorCode["PAYMENT_NOT_REFUNDABLE"] = "PAYMENT_NOT_REFUNDABLE";
    ErrorCode["PAYMENT_DISPUTED"] = "PAYMENT_DISPUTED";
    ErrorCode["PAYMENT_ALREADY_REFUNDED"] = "PAYMENT_ALREADY_REFUNDED";
    ErrorCode["AMOUNT_REQUIRED"] = "AMOUNT_REQUIRED";
    ErrorCode["CUSTOMER_IDENTIFIER_REQUIRED"] = "CUSTOMER_IDENTIFIER_REQUIRED";
    ErrorCode["CREDIT_TO_BANK_ACCOUNT"] = "CREDIT_TO_BANK_ACCOUNT";
    ErrorCode["PAYMENT_METHOD_INACTIVE"] = "PAYMENT_METHOD_INACTIVE";
    ErrorCode["CREDIT_LIMIT_EXCEEDED"] = "CREDIT_LIMIT_EXCEEDED";
    ErrorCode["PAYMENT_IDENTIFIER_REQUIRED"] = "PAYMENT_IDENTIFIER_REQUIRED";
    ErrorCode["PAYMENT_IDENTIFIER_AMBIGUOUS"] = "PAYMENT_IDENTIFIER_AMBIGUOUS";
    ErrorCode["DUPLICATE_MERCHANT_TRANSACTION"] = "DUPLICATE_MERCHANT_TRANSACTION";
    ErrorCode["PSP_REJECTED"] = "PSP_REJECTED";
    // idempotency
    ErrorCode["IDEMPOTENCY_KEY_REUSED"] = "IDEMPOTENCY_KEY_REUSED";
    ErrorCode["IDEMPOTENCY_KEY_IN_USE"] = "IDEMPOTENCY_KEY_IN_USE";
    // holds, exceptions, reconciliation
    ErrorCode["ORDER_ON_HOLD"] = "ORDER_ON_HOLD";
    ErrorCode["EXCEPTION_NOT_FOUND"] = "EXCEPTION_NOT_FOUND";
    ErrorCode["DECISION_NOT_ALLOWED"] = "DECISION_NOT_ALLOWED";
    ErrorCode["EXCEPTION_ALREADY_RESOLVED"] = "EXCEPTION_ALREADY_RESOLVED";
    ErrorCode["INVALID_PERIOD"] = "INVALID_PERIOD";
    ErrorCode["PERIOD_TOO_LONG"] = "PERIOD_TOO_LONG";
    // upstream
    ErrorCode["UPSTREAM_UNAVAILABLE"] = "UPSTREAM_UNAVAILABLE";
})(ErrorCode || (exports.ErrorCode = ErrorCode = {}));
/** An expected failure, returned to the client as data (userErrors), never thrown to it. */
class BusinessError extends Error {
    constructor(code, message, field) {
        super(message);
        this.code = code;
        this.field = field;
    }
}
exports.BusinessError = BusinessError;
//# sourceMappingURL=errors.js.map