import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RefundStatus } from '../../src/refunds/entities/refund.entity';
import { checkCredit, parseRefundAmount, planLinkedRefund, PaymentFacts } from '../../src/refunds/refund-rules';
import { nextStatus, RefundEvent } from '../../src/refunds/refund.state';
import { BusinessError } from '../../src/shared/errors';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BusinessError) return e.code;
    throw e;
  }
  return 'OK';
};

test('the lifecycle only moves forward: a replayed or older outcome changes nothing', () => {
  const { REQUESTED, SUBMITTED, SUCCEEDED, FAILED } = RefundStatus;
  const cases: [RefundStatus, RefundEvent, RefundStatus | null][] = [
    [REQUESTED, 'SUBMIT', SUBMITTED],
    [SUBMITTED, 'SUBMIT', SUBMITTED],
    [SUBMITTED, 'SUCCEED', SUCCEEDED],
    [SUBMITTED, 'FAIL', FAILED],
    [REQUESTED, 'SUCCEED', SUCCEEDED],
    [SUCCEEDED, 'SUCCEED', null],
    [SUCCEEDED, 'SUBMIT', null],
    // A synchronous rejection never undoes a success; the PSP's own record of a late failure or reversal does.
    [SUCCEEDED, 'FAIL', null],
    [SUCCEEDED, 'LATE_FAIL', FAILED],
    [SUCCEEDED, 'REVERSE', FAILED],
    [FAILED, 'SUCCEED', null],
    [FAILED, 'FAIL', null],
    [FAILED, 'REVERSE', null],
    [FAILED, 'SUBMIT', null],
    [SUBMITTED, 'REVERSE', FAILED],
    // Only the PSP's record brings back a refund recorded as failed; a webhook or an answer never does.
    [FAILED, 'RECORD_SUCCEED', SUCCEEDED],
    [SUBMITTED, 'RECORD_SUCCEED', SUCCEEDED],
    [SUCCEEDED, 'RECORD_SUCCEED', null],
  ];
  for (const [from, ev, to] of cases) assert.equal(nextStatus(from, ev), to, `${from} + ${ev}`);
});

test("amounts are parsed in the currency's precision, positive, bounded", () => {
  assert.equal(parseRefundAmount('10.5', 'EUR'), 1050n);
  assert.equal(parseRefundAmount('1000', 'JPY'), 1000n);
  assert.equal(parseRefundAmount(null, 'EUR'), null);
  assert.equal(
    code(() => parseRefundAmount('10.5', 'JPY')),
    'AMOUNT_TOO_PRECISE',
  );
  assert.equal(
    code(() => parseRefundAmount('10.001', 'EUR')),
    'AMOUNT_TOO_PRECISE',
  );
  assert.equal(
    code(() => parseRefundAmount('0.00', 'EUR')),
    'AMOUNT_NOT_POSITIVE',
  );
  assert.equal(
    code(() => parseRefundAmount('-1', 'EUR')),
    'AMOUNT_NOT_POSITIVE',
  );
  assert.equal(
    code(() => parseRefundAmount('abc', 'EUR')),
    'INVALID_AMOUNT',
  );
  assert.equal(
    code(() => parseRefundAmount('10000000000000000', 'EUR')),
    'AMOUNT_TOO_LARGE',
  );
});

const pay = (p: Partial<PaymentFacts>): PaymentFacts => ({
  id: 'p1',
  status: 'COMPLETED',
  disputed: false,
  methodStatus: 'ACTIVE',
  currency: 'EUR',
  capturedMinor: 10000n,
  refundedMinor: 0n,
  refundableMinor: 10000n,
  ...p,
});
const plan = (o: Partial<Parameters<typeof planLinkedRefund>[0]>) =>
  planLinkedRefund({ currency: 'EUR', requestedMinor: null, pendingMinor: 5000n, inFlightMinor: 0n, payments: [pay({})], ...o });

test('a linked refund takes what is pending from the first payment that can refund it', () => {
  assert.deepEqual(plan({}), { amountMinor: 5000n, paymentId: 'p1' });
  assert.deepEqual(plan({ payments: [pay({ id: 'a', refundableMinor: 1000n }), pay({ id: 'b' })] }), { amountMinor: 5000n, paymentId: 'b' });
  assert.equal(
    code(() => plan({ pendingMinor: 0n })),
    'NOTHING_PENDING',
  );
  assert.equal(
    code(() => plan({ requestedMinor: 5001n })),
    'AMOUNT_EXCEEDS_PENDING',
  );
  assert.equal(
    code(() => plan({ payments: [] })),
    'PAYMENT_NOT_FOUND',
  );
  assert.equal(
    code(() => plan({ paymentId: 'zz' })),
    'PAYMENT_NOT_FOUND',
  );
  assert.equal(
    code(() => plan({ payments: [pay({ status: 'AUTHORIZED' })] })),
    'PAYMENT_NOT_CAPTURED',
  );
  assert.equal(
    code(() => plan({ payments: [pay({ status: 'CANCELED' })] })),
    'PAYMENT_NOT_REFUNDABLE',
  );
  assert.equal(
    code(() => plan({ payments: [pay({ disputed: true })] })),
    'PAYMENT_DISPUTED',
  );
  assert.equal(
    code(() => plan({ payments: [pay({ refundedMinor: 10000n, refundableMinor: 0n })] })),
    'PAYMENT_ALREADY_REFUNDED',
  );
  assert.equal(
    code(() => plan({ payments: [pay({ refundableMinor: 4999n })] })),
    'AMOUNT_EXCEEDS_REFUNDABLE',
  );
  assert.equal(
    code(() => plan({ payments: [pay({ methodStatus: 'EXPIRED' })] })),
    'PAYMENT_METHOD_INACTIVE',
  );
  // The error shown is that of the payment that came closest.
  assert.equal(
    code(() => plan({ payments: [pay({ id: 'x', status: 'FAILED' }), pay({ id: 'y', refundableMinor: 10n })] })),
    'AMOUNT_EXCEEDS_REFUNDABLE',
  );
  assert.equal(
    code(() => plan({ payments: [pay({ currency: 'USD' })] })),
    'PAYMENT_NOT_FOUND',
  );
});

test("a credit checks amount, customer, method and limit in the PSP's order", () => {
  const base = {
    amountMinor: 1000n as bigint | null,
    currency: 'EUR',
    customer: { hsid: 'h' },
    method: { id: 'pm', kind: 'CARD', status: 'ACTIVE' },
    paymentMethodId: 'pm',
    creditLimitMinor: 5000n,
  };
  assert.equal(checkCredit(base), 1000n);
  assert.equal(
    code(() => checkCredit({ ...base, amountMinor: null })),
    'AMOUNT_REQUIRED',
  );
  assert.equal(
    code(() => checkCredit({ ...base, customer: {} })),
    'CUSTOMER_IDENTIFIER_REQUIRED',
  );
  assert.equal(
    code(() => checkCredit({ ...base, method: null })),
    'PAYMENT_METHOD_NOT_FOUND',
  );
  assert.equal(
    code(() => checkCredit({ ...base, method: { ...base.method, status: 'DELETED' } })),
    'PAYMENT_METHOD_NOT_FOUND',
  );
  assert.equal(
    code(() => checkCredit({ ...base, method: { ...base.method, kind: 'BANK_ACCOUNT', status: 'EXPIRED' } })),
    'CREDIT_TO_BANK_ACCOUNT',
  );
  assert.equal(
    code(() => checkCredit({ ...base, method: { ...base.method, status: 'CANCELED' } })),
    'PAYMENT_METHOD_INACTIVE',
  );
  assert.equal(
    code(() => checkCredit({ ...base, amountMinor: 5001n })),
    'CREDIT_LIMIT_EXCEEDED',
  );
});
