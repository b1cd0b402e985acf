"use strict";
/**
 * Money is an integer of minor units (bigint) plus an ISO-4217 code, everywhere.
 * Decimal strings exist only at the GraphQL and upstream HTTP boundaries.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.MoneyError = exports.MAX_MINOR = exports.CURRENCY_CODES = exports.CURRENCY_EXPONENTS = void 0;
exports.isCurrencyCode = isCurrencyCode;
exports.exponentOf = exponentOf;
exports.parseDecimal = parseDecimal;
exports.formatMinor = formatMinor;
exports.money = money;
exports.sumMinor = sumMinor;
exports.minBig = minBig;
exports.maxBig = maxBig;
/** ISO-4217 minor-unit exponents of the currencies the service accepts. */
exports.CURRENCY_EXPONENTS = {
    AED: 2, ARS: 2, AUD: 2, BGN: 2, BHD: 3, BRL: 2, CAD: 2, CHF: 2, CLP: 0, CNY: 2, COP: 2, CZK: 2,
    DKK: 2, EGP: 2, EUR: 2, GBP: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, ISK: 0, JOD: 3, JPY: 0,
    KRW: 0, KWD: 3, MXN: 2, MYR: 2, NOK: 2, NZD: 2, OMR: 3, PEN: 2, PHP: 2, PLN: 2, RON: 2, SAR: 2,
    SEK: 2, SGD: 2, THB: 2, TND: 3, TRY: 2, TWD: 2, UAH: 2, USD: 2, UYU: 2, VND: 0, ZAR: 2,
};
exports.CURRENCY_CODES = Object.keys(exports.CURRENCY_EXPONENTS);
/** Largest absolute amount accepted anywhere: far above any real order, far below BIGINT's range. */
exports.MAX_MINOR = 10n ** 15n;
class MoneyError extends Error {
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
exports.MoneyError = MoneyError;
function isCurrencyCode(code) {
    return Object.prototype.hasOwnProperty.call(exports.CURRENCY_EXPONENTS, code);
}
function exponentOf(currency) {
    if (!isCurrencyCode(currency))
        throw new MoneyError('UNSUPPORTED_CURRENCY', `Unsupported currency "${currency}"`);
    return exports.CURRENCY_EXPONENTS[currency];
}
const DECIMAL = /^(-)?(\d{1,20})(?:\.(\d{1,20}))?$/;
/** "10.50" EUR → 1050n. Rejects floats' artefacts, exponents, too many decimals and absurd sizes. */
function parseDecimal(value, currency) {
    const exp = exponentOf(currency);
    const m = DECIMAL.exec(value.trim());
    if (!m)
        throw new MoneyError('INVALID_AMOUNT', `"${truncate(value)}" is not a decimal amount`);
    const [, sign, whole, frac = ''] = m;
    if (frac.replace(/0+$/, '').length > exp) {
        throw new MoneyError('AMOUNT_TOO_PRECISE', `${currency} amounts have at most ${exp} decimal place${exp === 1 ? '' : 's'}`);
    }
    const minor = BigInt(whole) * 10n ** BigInt(exp) + BigInt((frac + '0'.repeat(exp)).slice(0, exp) || '0');
    if (minor > exports.MAX_MINOR)
        throw new MoneyError('AMOUNT_TOO_LARGE', `Amount exceeds the largest accepted amount`);
    return sign ? -minor : minor;
}
/** 1050n EUR → "10.50"; 1000n JPY → "1000". */
function formatMinor(minor, currency) {
    const exp = exponentOf(currency);
    const neg = minor < 0n;
    const abs = neg ? -minor : minor;
    if (exp === 0)
        return `${neg ? '-' : ''}${abs}`;
    const s = abs.toString().padStart(exp + 1, '0');
    return `${neg ? '-' : ''}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}
function money(amountMinor, currency) {
    if (!isCurrencyCode(currency))
        throw new MoneyError('UNSUPPORTED_CURRENCY', `Unsupported currency "${currency}"`);
    return { amountMinor, currency };
}
function sumMinor(values) {
    let total = 0n;
    for (const v of values)
        total += v;
    return total;
}
function minBig(...values) {
    return values.reduce((a, b) => (b < a ? b : a));
}
function maxBig(...values) {
    return values.reduce((a, b) => (b > a ? b : a));
}
function truncate(s) {
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
//# sourceMappingURL=money.js.map