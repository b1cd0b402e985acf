/** Request validators of the simulators: each answers 400 (HttpError) with the field it refused. */
import { MAX_MINOR, isCurrencyCode, type CurrencyCode } from '../shared/money';
import { bad } from './http-kit';

/** Minor units from a digit string or a safe JSON integer, converted to bigint at once. */
export function parseMinor(v: unknown, field: string, o: { signed?: boolean; positive?: boolean } = {}): bigint {
  const s = typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : null;
  if (s === null || !(o.signed ? /^-?\d{1,20}$/ : /^\d{1,20}$/).test(s)) {
    throw bad(`${field} must be ${o.signed ? 'an optionally signed' : 'a'} string of digits (minor units)`);
  }
  const n = BigInt(s);
  if (n > MAX_MINOR || n < -MAX_MINOR) throw bad(`${field} exceeds the largest accepted amount`);
  if (o.positive && n <= 0n) throw bad(`${field} must be greater than zero`);
  return n;
}

export function parseCurrency(v: unknown, field = 'currency'): CurrencyCode {
  if (typeof v !== 'string' || !isCurrencyCode(v)) throw bad(`${field} must be a supported ISO-4217 code`);
  return v;
}

/** Absent, null and '' all mean "not given" (seed 004 sends `"paymentId": null`). */
export function optStr(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw bad(`${field} must be a string`);
  return v;
}

export function reqStr(v: unknown, field: string): string {
  const s = optStr(v, field);
  if (s === undefined) throw bad(`${field} is required`);
  return s;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], field: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw bad(`${field} must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

export function optIso(v: unknown, field: string): string | undefined {
  const s = optStr(v, field);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw bad(`${field} must be an ISO-8601 timestamp`);
  return new Date(t).toISOString();
}

export function count(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(`${field} must be a non-negative integer`);
  return v;
}
export function flag(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw bad(`${field} must be a boolean`);
  return v;
}
