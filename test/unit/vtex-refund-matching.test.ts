/**
 * How VTEX Payments' refunds are matched to an order's return (Input) invoices: by what VTEX refunds
 * for the return (`restitutions.Refund.value`, else the invoice value) and by time (a refund answers
 * the latest return of its amount issued before it); amount alone only where a date is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchRefunds, vtexOrderWire, type VtexRefund } from '../../src/systems/oms/vtex/vtex-records';

const t = (s: number) => `2026-12-01T10:00:${String(s).padStart(2, '0')}.0000000+00:00`;
type Pkg = { invoiceNumber: string; invoiceValue: number; issuanceDate?: string | null; refund?: number };
const order = (pkgs: Pkg[]) =>
  vtexOrderWire.parse({
    orderId: 'v-1',
    status: 'invoiced',
    value: 20_000,
    creationDate: t(0),
    lastChange: t(59),
    storePreferencesData: { currencyCode: 'EUR' },
    packageAttachment: {
      packages: [
        { type: 'Output', invoiceNumber: 'NF-1', invoiceValue: 20_000, issuanceDate: t(1), restitutions: {} },
        ...pkgs.map((p) => ({
          type: 'Input',
          invoiceNumber: p.invoiceNumber,
          invoiceValue: p.invoiceValue,
          issuanceDate: p.issuanceDate === undefined ? null : p.issuanceDate,
          restitutions: p.refund === undefined ? {} : { Refund: { value: p.refund, giftCardData: null, items: [] } },
        })),
      ],
    },
  });
const refund = (id: string, value: number, date: string | null, status = 'Finished'): VtexRefund => ({ id, value, status, date });
const matched = (pkgs: Pkg[], refunds: VtexRefund[]) => Object.fromEntries(matchRefunds(order(pkgs), 'TID1', refunds, 'EUR').map((r) => [r.refundId, r.invoiceNumber]));

test('a refund answers the latest return of its amount issued before it: the earlier one VTEX forgot stays uncovered', () => {
  const pkgs = [
    { invoiceNumber: 'RET-1', invoiceValue: 3_000, issuanceDate: t(10) },
    { invoiceNumber: 'RET-2', invoiceValue: 3_000, issuanceDate: t(20) },
  ];
  assert.deepEqual(matched(pkgs, [refund('R-B', 3_000, t(21))]), { 'R-B': 'RET-2' });
  // Both refunded: each its own.
  assert.deepEqual(matched(pkgs, [refund('R-A', 3_000, t(11)), refund('R-B', 3_000, t(21))]), { 'R-A': 'RET-1', 'R-B': 'RET-2' });
});

test('the restitution VTEX refunds for a return decides, not the invoice value', () => {
  const pkgs = [
    { invoiceNumber: 'RET-1', invoiceValue: 5_000, issuanceDate: t(10), refund: 4_500 },
    { invoiceNumber: 'RET-2', invoiceValue: 4_500, issuanceDate: t(20), refund: 0 },
  ];
  // 45.00 refunded after both returns: by invoice value it would be RET-2's; RET-2 restitutes nothing to the payment.
  assert.deepEqual(matched(pkgs, [refund('R-1', 4_500, t(30))]), { 'R-1': 'RET-1' });
});

test('a refund dated before every return of its amount covers none of them; amount alone decides only where a date is missing', () => {
  assert.deepEqual(matched([{ invoiceNumber: 'RET-1', invoiceValue: 2_000, issuanceDate: t(30) }], [refund('R-1', 2_000, t(5))]), { 'R-1': null });
  assert.deepEqual(matched([{ invoiceNumber: 'RET-1', invoiceValue: 2_000, issuanceDate: null }], [refund('R-1', 2_000, t(5))]), { 'R-1': 'RET-1' });
  assert.deepEqual(matched([{ invoiceNumber: 'RET-1', invoiceValue: 2_000, issuanceDate: t(30) }], [refund('R-1', 2_000, null)]), { 'R-1': 'RET-1' });
});

test('a refund of another amount covers no return; one still processing is no outcome yet; a failed one covers nothing', () => {
  const pkgs = [{ invoiceNumber: 'RET-1', invoiceValue: 2_000, issuanceDate: t(10) }];
  const out = matchRefunds(order(pkgs), 'TID1', [refund('R-1', 1_999, t(11)), refund('R-2', 2_000, t(12), 'Processing'), refund('R-3', 2_000, t(13), 'Failed')], 'EUR');
  assert.deepEqual(
    out.map((r) => [r.refundId, r.status, r.invoiceNumber, r.amountMinor]),
    [
      ['R-1', 'SUCCEEDED', null, 1_999n],
      ['R-3', 'FAILED', null, 2_000n],
    ],
  );
});
