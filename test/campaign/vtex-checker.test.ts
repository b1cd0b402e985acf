/**
 * The VTEX campaign's checker against hand-made states: a state that keeps every invariant passes,
 * and each invariant fails on a state that breaks it — so a clean campaign means something.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkVtexOrder, type VtexOrderFacts } from './vtex-checker';
import { breakerTripsIn } from './vtex-campaign';

const money = (amount: string) => ({ amount });

/** An order of 100.00 EUR with two returns: RET-1 (30.00) refunded by VTEX (refund R1), RET-2 (20.00) forgotten. */
function good(): VtexOrderFacts {
  return {
    orderId: 'v1-s0-01',
    vtex: {
      packages: [
        { type: 'Output', invoiceNumber: 'NF-1', invoiceValue: 10_000 },
        { type: 'Input', invoiceNumber: 'RET-1', invoiceValue: 3_000 },
        { type: 'Input', invoiceNumber: 'RET-2', invoiceValue: 2_000 },
      ],
      refunds: [{ id: 'R1', value: 3_000, status: 'Finished', invoiceNumber: 'RET-1' }],
      feedLeft: [],
    },
    pspRefunds: [],
    erpRefundPostings: [{ externalRef: 'R1', amount: 3_000n, documentId: 'DOC-1' }],
    order: {
      id: 'v1-s0-01',
      invoices: [
        { id: 'NF-1', kind: 'OUTPUT', amount: money('100.00') },
        { id: 'RET-1', kind: 'INPUT', amount: money('30.00') },
        { id: 'RET-2', kind: 'INPUT', amount: money('20.00') },
      ],
      invoiceData: {
        omsKeepsCopy: false,
        inSync: null,
        entries: [
          { invoiceId: 'RET-1', inSync: null, refunded: money('30.00'), refundIds: ['mg-1'], omsRefunded: null },
          { invoiceId: 'RET-2', inSync: null, refunded: money('0.00'), refundIds: [], omsRefunded: null },
        ],
      },
      refunds: [
        {
          id: 'mg-1',
          status: 'SUCCEEDED',
          kind: 'UNLINKED',
          origin: 'PSP',
          invoiceId: 'RET-1',
          pspRefundId: 'R1',
          merchantTransactionId: 'psp:R1',
          errorCode: null,
          amount: money('30.00'),
        },
      ],
      exceptions: [
        { id: 'x1', kind: 'INPUT_INVOICE_NOT_REFUNDED', status: 'OPEN', detail: 'RET-2 20.00 EUR', evidence: { invoiceReference: 'RET-2', refundId: null, pspRefundId: null } },
      ],
      pendingRefunds: {
        nextAction: 'OMS_REFUNDS_ITSELF',
        invoices: [
          { invoiceId: 'RET-1', nextAction: 'NONE', pending: money('0.00'), unrefundedByOms: money('0.00') },
          { invoiceId: 'RET-2', nextAction: 'OMS_REFUNDS_ITSELF', pending: money('0.00'), unrefundedByOms: money('20.00') },
        ],
      },
    },
    unappliedEvents: [],
    outbox: [],
    attempts: [
      { operation: 'refundInvoice', key: 'k1', refundId: null, codes: ['OMS_REFUNDS_ITSELF'] },
      { operation: 'creditPaymentMethod', key: 'k2', refundId: null, codes: ['OMS_REFUNDS_ITSELF'] },
    ],
    variances: [],
  };
}

const invariants = (f: VtexOrderFacts) => [...new Set(checkVtexOrder(f).map((x) => x.invariant))];
function broken(change: (f: VtexOrderFacts) => void): string[] {
  const f = good();
  change(f);
  return invariants(f);
}

test('a state that keeps every invariant passes', () => {
  assert.deepEqual(checkVtexOrder(good()), []);
});

test('i. money moved for a VTEX order: a PSP refund, a refund of moneygraph’s own, an attempt that was not refused', () => {
  assert.deepEqual(
    broken((f) => f.pspRefunds.push({ refundId: 'P1', status: 'SUCCEEDED', amount: 1_000n })),
    ['i.no-money-moved'],
  );
  assert.ok(
    broken((f) => f.order.refunds.push({ id: 'mg-2', status: 'REQUESTED', origin: 'MONEYGRAPH', invoiceId: 'RET-2', pspRefundId: null, amount: money('20.00') })).includes(
      'i.no-money-moved',
    ),
  );
  assert.deepEqual(
    broken((f) => (f.attempts[1] = { operation: 'creditPaymentMethod', key: 'k2', refundId: null, codes: ['PAYMENT_METHOD_NOT_FOUND'] })),
    ['i.no-money-moved'],
  );
});

test('ii. moneygraph’s view differs from VTEX’s: an invoice amount, a refund missing, a refund on the wrong return, invoiceData off the ledger', () => {
  assert.deepEqual(
    broken((f) => (f.order.invoices[2].amount = money('25.00'))),
    ['ii.view-equals-vtex'],
  );
  assert.ok(
    broken((f) => {
      f.order.refunds = [];
      f.order.invoiceData.entries[0].refunded = money('0.00');
      f.order.invoiceData.entries[0].refundIds = [];
    }).includes('ii.view-equals-vtex'),
  );
  // VTEX refunded RET-1; the ledger put it against RET-2.
  assert.ok(
    broken((f) => {
      f.vtex.packages[2]!.invoiceValue = 3_000;
      f.order.invoices[2].amount = money('30.00');
      f.order.refunds[0].invoiceId = 'RET-2';
    }).includes('ii.view-equals-vtex'),
  );
  assert.deepEqual(
    broken((f) => (f.order.invoiceData.entries[0].refunded = money('0.00'))),
    ['ii.view-equals-vtex'],
  );
});

test('iii. a forgotten return not raised, a refunded one raised, or listed as a refund moneygraph will make', () => {
  assert.deepEqual(
    broken((f) => (f.order.exceptions = [])),
    ['iii.exceptions'],
  );
  assert.deepEqual(
    broken((f) => f.order.exceptions.push({ id: 'x2', kind: 'INPUT_INVOICE_NOT_REFUNDED', status: 'OPEN', evidence: { invoiceReference: 'RET-1' } })),
    ['iii.exceptions'],
  );
  assert.deepEqual(
    broken((f) => {
      f.order.pendingRefunds.nextAction = 'REFUND';
      f.order.pendingRefunds.invoices[1] = { invoiceId: 'RET-2', nextAction: 'REFUND', pending: money('20.00'), unrefundedByOms: null };
    }),
    ['iii.exceptions'],
  );
});

test('iv. something in flight: an unapplied event, an outbox message, a refund, a feed item never committed', () => {
  assert.deepEqual(
    broken((f) => f.unappliedEvents.push('OMS order.changed vtex:v1-s0-01:t WAITING')),
    ['iv.nothing-in-flight'],
  );
  assert.deepEqual(
    broken((f) => f.outbox.push({ topic: 'erp.post', dedupe_key: 'erp.post:REFUND:R1', status: 'PENDING', attempts: 3, last_error: 'ERP down' })),
    ['iv.nothing-in-flight'],
  );
  assert.deepEqual(
    broken((f) => f.vtex.feedLeft.push('2026-12-01T10:00:00.0000000+00:00')),
    ['iv.nothing-in-flight'],
  );
});

test('v. invoiceData claims an OMS copy VTEX does not keep', () => {
  assert.deepEqual(
    broken((f) => (f.order.invoiceData.inSync = true)),
    ['v.invoice-data-absent'],
  );
  assert.deepEqual(
    broken((f) => (f.order.invoiceData.entries[1].omsRefunded = money('0.00'))),
    ['v.invoice-data-absent'],
  );
});

test('vi. a VTEX refund not posted to the ERP, posted twice, or a posting for nothing', () => {
  assert.deepEqual(
    broken((f) => (f.erpRefundPostings = [])),
    ['vi.erp-postings'],
  );
  assert.deepEqual(
    broken((f) => f.erpRefundPostings.push({ externalRef: 'R1', amount: 3_000n, documentId: 'DOC-2' })),
    ['vi.erp-postings'],
  );
  assert.deepEqual(
    broken((f) => f.erpRefundPostings.push({ externalRef: 'R9', amount: 100n, documentId: 'DOC-3' })),
    ['vi.erp-postings'],
  );
});

test('vi. a variance in the reconciliation of a VTEX refund’s day', () => {
  assert.deepEqual(
    broken((f) => f.variances.push('reconciliation of 2026-12-01 shows MISSING_IN_ERP for refund R1')),
    ['vi.reconciliation'],
  );
});

test('vii. the VTEX circuit breakers, as /metrics shows them', () => {
  const gauge = (system: string, state: string, v: number) => `moneygraph_upstream_circuit_state{system="${system}",state="${state}"} ${v}`;
  const closed = [gauge('oms', 'closed', 1), gauge('oms', 'open', 0), gauge('oms_payments', 'closed', 1), gauge('oms_payments', 'open', 0)];
  assert.equal(breakerTripsIn(closed.join('\n')), null);
  assert.match(breakerTripsIn([gauge('oms', 'closed', 0), gauge('oms', 'open', 1)].join('\n'))!, /the oms circuit is open/);
  assert.match(
    breakerTripsIn([...closed, 'moneygraph_upstream_request_duration_seconds_count{system="oms_payments",method="GET",outcome="circuit_open"} 2'].join('\n'))!,
    /2 oms_payments call/,
  );
  assert.match(breakerTripsIn('')!, /no circuit state/);
});
