/**
 * VTEX's wire format, checked field by field (Orders API `GET /api/oms/pvt/orders/{orderId}`,
 * Payments `GET /api/pvt/transactions/{tid}/refunds`), and its translation into the canonical
 * records. VTEX states amounts as integers in cents whatever the currency; a VTEX record carries
 * no version, so its `lastChange` orders it (an older one never overwrites a newer).
 */
import { z } from 'zod';
import { CURRENCY_EXPONENTS, isCurrencyCode } from '../../../shared/money';
import { OrderStatus } from '../entities';
import type { OmsOrderRecords, OmsOwnRefund } from '../oms-port';

const cents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** VTEX times: ISO 8601 with up to 7 fraction digits and an offset (`2019-02-07T21:29:54.9360000+00:00`). */
const vtexTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?(Z|[+-]\d\d:\d\d)?$/, 'must be an ISO 8601 time');

const packageWire = z.looseObject({
  type: z.enum(['Output', 'Input']),
  invoiceNumber: z.string().min(1).max(64),
  invoiceValue: cents,
  issuanceDate: vtexTime.nullable().optional(),
  /** What the return gives back, by destination: `Refund` is what VTEX Payments refunds to the payment for it. */
  restitutions: z
    .looseObject({ Refund: z.looseObject({ value: cents }).nullable().optional() })
    .nullable()
    .optional(),
});

export const vtexOrderWire = z.looseObject({
  orderId: z.string().min(1).max(64),
  status: z.string().min(1).max(64),
  value: cents,
  creationDate: vtexTime,
  lastChange: vtexTime,
  clientProfileData: z
    .looseObject({ userProfileId: z.string().max(64).nullable().optional() })
    .nullable()
    .optional(),
  storePreferencesData: z.looseObject({ currencyCode: z.string() }),
  packageAttachment: z
    .looseObject({ packages: z.array(packageWire).max(1000) })
    .nullable()
    .optional(),
  paymentData: z
    .looseObject({ transactions: z.array(z.looseObject({ transactionId: z.string().min(1).max(64), payments: z.array(z.looseObject({ id: z.string() })).optional() })).max(50) })
    .nullable()
    .optional(),
});
export type VtexOrder = z.output<typeof vtexOrderWire>;

/** One refund of a payment transaction, as VTEX Payments lists it. */
export const vtexRefundsWire = z
  .array(
    z.looseObject({
      id: z.string().min(1).max(64),
      value: cents,
      status: z.string().min(1).max(32),
      date: vtexTime.nullable().optional(),
    }),
  )
  .max(1000);
export type VtexRefund = z.output<typeof vtexRefundsWire>[number];

/** A lastChange as a version: 100-nanosecond ticks since the epoch, so two changes in the same millisecond still order. */
export function lastChangeVersion(t: string): bigint {
  const ms = Date.parse(t.replace(/(\.\d{3})\d+/, '$1'));
  const ticks = (t.match(/\.(\d{1,7})/)?.[1] ?? '').padEnd(7, '0').slice(3, 7);
  return BigInt(ms) * 10_000n + BigInt(ticks || '0');
}

const isoOf = (t: string) => new Date(Date.parse(t.replace(/(\.\d{3})\d+/, '$1'))).toISOString();

/** VTEX's order states (Orders Hook filter list) folded into the canonical statuses. */
function canonicalStatus(state: string): OrderStatus {
  if (state === 'canceled') return OrderStatus.CANCELED;
  if (state === 'invoiced') return OrderStatus.SHIPPED;
  if (['order-created', 'order-accepted', 'on-order-completed', 'payment-pending', 'waiting-for-order-authorization', 'approve-payment'].includes(state))
    return OrderStatus.CREATED;
  return OrderStatus.CONFIRMED;
}

/** VTEX cents in the currency's minor units (VTEX always keeps two decimals). */
function minorOf(value: number, currency: string): bigint {
  const exp = isCurrencyCode(currency) ? CURRENCY_EXPONENTS[currency] : 2;
  const c = BigInt(value);
  if (exp >= 2) return c * 10n ** BigInt(exp - 2);
  return c / 10n ** BigInt(2 - exp);
}

/** The order in canonical shapes (amounts as digit strings, as the webhook contract has them); its currency must be one moneygraph knows. */
export function toCanonicalOrder(o: VtexOrder): Omit<OmsOrderRecords, 'ownRefunds'> | { unsupportedCurrency: string } {
  const currency = o.storePreferencesData.currencyCode;
  if (!isCurrencyCode(currency)) return { unsupportedCurrency: currency };
  const version = lastChangeVersion(o.lastChange).toString();
  const packages = o.packageAttachment?.packages ?? [];
  return {
    order: {
      id: o.orderId,
      status: canonicalStatus(o.status),
      currency,
      total: minorOf(o.value, currency).toString(),
      customerId: o.clientProfileData?.userProfileId ?? null,
      createdAt: isoOf(o.creationDate),
      version,
    },
    invoices: packages.map((p) => ({
      number: p.invoiceNumber,
      orderId: o.orderId,
      kind: p.type === 'Input' ? 'INPUT' : 'OUTPUT',
      amount: minorOf(p.invoiceValue, currency).toString(),
      currency,
      issuedAt: isoOf(p.issuanceDate ?? o.lastChange),
      version,
    })),
    interactions: [],
    invoiceData: null,
  };
}

/**
 * The transaction's refunds matched to the order's return invoices. A VTEX Payments refund names no
 * invoice, so it is told by what VTEX refunds for a return — its Input package's
 * `restitutions.Refund.value` (the invoice value where the package has none) — and by time, since
 * VTEX refunds a return when its Input invoice is issued:
 *   1. a dated refund belongs to the latest return of exactly its amount issued at or before it and
 *      not matched yet (so an earlier return of the same amount that VTEX forgot stays uncovered);
 *   2. only where a date is missing (the refund's or the return's) does amount alone decide: the
 *      oldest return of that amount not matched yet.
 * A refund that matches none is still recorded (money left the payment) but names no invoice; a
 * return that no refund matches is one VTEX did not refund.
 */
export function matchRefunds(o: VtexOrder, transactionId: string, refunds: VtexRefund[], currency: string): OmsOwnRefund[] {
  const inputs = (o.packageAttachment?.packages ?? [])
    .filter((p) => p.type === 'Input')
    .map((p) => ({ number: p.invoiceNumber, due: p.restitutions?.Refund?.value ?? p.invoiceValue, at: p.issuanceDate ? lastChangeVersion(p.issuanceDate) : null }))
    .sort((a, b) => (a.at === null || b.at === null ? 0 : a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const at = (r: VtexRefund) => (r.date ? lastChangeVersion(r.date) : null);
  const settled = refunds.filter((r) => SETTLED.has(r.status.toLowerCase())).sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
  const taken = new Map<string, string>();
  const covered = new Set<string>();
  const take = (r: VtexRefund, inv: { number: string } | undefined) => {
    if (!inv) return;
    taken.set(r.id, inv.number);
    covered.add(inv.number);
  };
  for (const r of settled) {
    const t = at(r);
    if (t === null) continue;
    const open = inputs.filter((i) => !covered.has(i.number) && i.due === r.value && i.at !== null && i.at <= t);
    take(r, open.at(-1));
  }
  for (const r of settled) {
    if (taken.has(r.id)) continue;
    const t = at(r);
    take(
      r,
      inputs.find((i) => !covered.has(i.number) && i.due === r.value && (t === null || i.at === null)),
    );
  }
  // A refund still being processed is not an outcome yet: it is read again with the next change.
  const decided = refunds.filter((r) => SETTLED.has(r.status.toLowerCase()) || FAILED.has(r.status.toLowerCase()));
  return decided.map((r) => ({
    refundId: r.id,
    transactionId,
    status: SETTLED.has(r.status.toLowerCase()) ? 'SUCCEEDED' : 'FAILED',
    amountMinor: minorOf(r.value, currency),
    currency,
    invoiceNumber: taken.get(r.id) ?? null,
    occurredAt: r.date ? new Date(isoOf(r.date)) : null,
    raw: r,
  }));
}

/** Refund statuses VTEX Payments reports once the money has moved. */
const SETTLED = new Set(['finished', 'refunded', 'settled', 'approved']);
const FAILED = new Set(['failed', 'denied', 'cancelled', 'canceled']);
