/**
 * Money is an integer of minor units (bigint) plus an ISO-4217 code, everywhere.
 * Decimal strings exist only at the GraphQL and upstream HTTP boundaries.
 */

/** ISO-4217 minor-unit exponents of the currencies the service accepts. */
export const CURRENCY_EXPONENTS = {
  AED: 2,
  ARS: 2,
  AUD: 2,
  BGN: 2,
  BHD: 3,
  BRL: 2,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CNY: 2,
  COP: 2,
  CZK: 2,
  DKK: 2,
  EGP: 2,
  EUR: 2,
  GBP: 2,
  HKD: 2,
  HUF: 2,
  IDR: 2,
  ILS: 2,
  INR: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  MXN: 2,
  MYR: 2,
  NOK: 2,
  NZD: 2,
  OMR: 3,
  PEN: 2,
  PHP: 2,
  PLN: 2,
  RON: 2,
  SAR: 2,
  SEK: 2,
  SGD: 2,
  THB: 2,
  TND: 3,
  TRY: 2,
  TWD: 2,
  UAH: 2,
  USD: 2,
  UYU: 2,
  VND: 0,
  ZAR: 2,
} as const;

export type CurrencyCode = keyof typeof CURRENCY_EXPONENTS;
export const CURRENCY_CODES = Object.keys(CURRENCY_EXPONENTS) as CurrencyCode[];

/** Largest absolute amount accepted anywhere: far above any real order, far below BIGINT's range. */
export const MAX_MINOR = 10n ** 15n;

export type MoneyErrorCode = 'INVALID_AMOUNT' | 'AMOUNT_TOO_PRECISE' | 'AMOUNT_TOO_LARGE' | 'UNSUPPORTED_CURRENCY';

export class MoneyError extends Error {
  constructor(
    readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The exponents as a Map: every amount a response carries looks its currency up here. */
const EXPONENTS: ReadonlyMap<string, number> = new Map(Object.entries(CURRENCY_EXPONENTS));

export function isCurrencyCode(code: string): code is CurrencyCode {
  return EXPONENTS.has(code);
}

function exponentOf(currency: string): number {
  const exp = EXPONENTS.get(currency);
  if (exp === undefined) throw new MoneyError('UNSUPPORTED_CURRENCY', `Unsupported currency "${currency}"`);
  return exp;
}

const DECIMAL = /^(-)?(\d{1,20})(?:\.(\d{1,20}))?$/;

/** "10.50" EUR → 1050n. Rejects floats' artefacts, exponents, too many decimals and absurd sizes. */
export function parseDecimal(value: string, currency: string): bigint {
  const exp = exponentOf(currency);
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new MoneyError('INVALID_AMOUNT', `"${truncate(value)}" is not a decimal amount`);
  const [, sign, whole, frac = ''] = m; // `whole` is the pattern's one mandatory group
  if (frac.replace(/0+$/, '').length > exp) {
    throw new MoneyError('AMOUNT_TOO_PRECISE', `${currency} amounts have at most ${exp} decimal place${exp === 1 ? '' : 's'}`);
  }
  const minor = BigInt(whole!) * 10n ** BigInt(exp) + BigInt((frac + '0'.repeat(exp)).slice(0, exp) || '0');
  if (minor > MAX_MINOR) throw new MoneyError('AMOUNT_TOO_LARGE', `Amount exceeds the largest accepted amount`);
  return sign ? -minor : minor;
}

/** 1050n EUR → "10.50"; 1000n JPY → "1000". */
export function formatMinor(minor: bigint, currency: string): string {
  const exp = exponentOf(currency);
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  if (exp === 0) return `${neg ? '-' : ''}${abs}`;
  const s = abs.toString().padStart(exp + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
