import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { canonicalRefundError, normalizeRefundWebhook } from '../../src/systems/psp/psp-errors';
import { ErrorCode } from '../../src/shared/errors';
import { WebhookPayloadError } from '../../src/shared/payload';
import { createPspSimulator } from '../../src/simulators';

/** Seed 004's fifteen synchronous rejections, title and detail exactly as the seed prints them. */
const SEED_REJECTIONS: { title: string; detail: string; code: ErrorCode }[] = [
  { title: 'INVALID_REQUEST', detail: 'Refund amount cannot be more than the un-refunded amount of the original payment', code: ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE },
  { title: 'INVALID_REQUEST', detail: 'When paymentMethodId is present, amount is required', code: ErrorCode.AMOUNT_REQUIRED },
  { title: 'PAYMENT_ERROR', detail: 'Cannot issue refund for this payment', code: ErrorCode.PAYMENT_NOT_REFUNDABLE },
  { title: 'INVALID_REQUEST', detail: 'Cannot issue refund for this payment', code: ErrorCode.PAYMENT_DISPUTED },
  { title: 'INVALID_REQUEST', detail: 'Refunds can only be processed for captured payments', code: ErrorCode.PAYMENT_NOT_CAPTURED },
  { title: 'INVALID_REQUEST', detail: 'The amount given exceeds the allowed refund limit', code: ErrorCode.CREDIT_LIMIT_EXCEEDED },
  { title: 'INVALID_REQUEST', detail: 'paymentId or paymentMethodId is required', code: ErrorCode.PAYMENT_IDENTIFIER_REQUIRED },
  {
    title: 'INVALID_REQUEST',
    detail: 'Either paymentId or paymentMethodId should be provided. The request has both paymentId and paymentMethodId',
    code: ErrorCode.PAYMENT_IDENTIFIER_AMBIGUOUS,
  },
  { title: 'INVALID_REQUEST', detail: 'When paymentMethodId is present, customer should contain hsid, enterpriseId or metadata', code: ErrorCode.CUSTOMER_IDENTIFIER_REQUIRED },
  { title: 'INVALID_REQUEST', detail: 'Payment method is canceled by a customer or expired by the financial partner', code: ErrorCode.PAYMENT_METHOD_INACTIVE },
  { title: 'INVALID_REQUEST', detail: 'Credit is not allowed for bank accounts.', code: ErrorCode.CREDIT_TO_BANK_ACCOUNT },
  { title: 'INVALID_REQUEST', detail: 'Invalid paymentMethodId', code: ErrorCode.PAYMENT_METHOD_NOT_FOUND },
  { title: 'INVALID_REQUEST', detail: 'Payment is in dispute and not available for refund', code: ErrorCode.PAYMENT_DISPUTED },
  { title: 'INVALID_REQUEST', detail: 'This payment is already refunded', code: ErrorCode.PAYMENT_ALREADY_REFUNDED },
  { title: 'INVALID_REQUEST', detail: 'Refund already exists for the given merchantTransactionId', code: ErrorCode.DUPLICATE_MERCHANT_TRANSACTION },
];

/**
 * Seed 004's REFUND_FAILED webhook samples, in their own shapes (code missing, disagreeing with
 * the title, objects missing), each paired with the synchronous answer of the same rejection.
 */
const SEED_WEBHOOKS: { sync: { title: string; detail: string }; body: unknown }[] = [
  {
    sync: { title: 'INVALID_REQUEST', detail: 'Refund amount cannot be more than the un-refunded amount of the original payment' },
    body: {
      name: 'REFUND_FAILED',
      source: '',
      payload: {
        refundId: '11f3878d-5615-44fc-b297-3e96cf582c31',
        payment: {},
        paymentMethod: {},
        customer: {},
        error: { description: 'Refund amount cannot be more than the payment amount' },
      },
    },
  },
  {
    sync: { title: 'PAYMENT_ERROR', detail: 'Cannot issue refund for this payment' },
    body: {
      name: 'REFUND_FAILED',
      source: '',
      payload: {
        refundId: '11f3878d-5615-44fc-b297-3e96cf582c31',
        paymentMethod: {},
        customer: {},
        error: { code: 'PAYMENT_ERROR', description: 'Cannot issue refund for this payment' },
      },
    },
  },
  {
    sync: { title: 'INVALID_REQUEST', detail: 'Cannot issue refund for this payment' },
    body: {
      name: 'REFUND_FAILED',
      source: 'card-refund',
      payload: {
        refundId: '9ec59c5a-865c-456d-a21f-0735178629a0',
        payment: {},
        paymentMethod: {},
        customer: {},
        error: { code: 'charge_disputed', description: 'Cannot issue refund for this payment' },
      },
    },
  },
  {
    sync: { title: 'INVALID_REQUEST', detail: 'Refunds can only be processed for captured payments' },
    body: {
      name: 'REFUND_FAILED',
      source: 'vendor-portal',
      payload: {
        refundId: 'd8765a0b-db66-420c-9785-d6caa99c055b',
        payment: {},
        paymentMethod: {},
        customer: {},
        error: { description: 'Refunds can only be processed for captured payments' },
      },
    },
  },
  {
    sync: { title: 'INVALID_REQUEST', detail: 'The amount given exceeds the allowed refund limit' },
    body: {
      name: 'REFUND_FAILED',
      source: '',
      payload: {
        refundId: '6b7389c1-401d-447a-b407-cd4bb4a12882',
        paymentMethod: {},
        customer: {},
        error: { code: 'amount_too_large', description: 'The amount given exceeds the allowed refund limit' },
      },
    },
  },
  {
    sync: { title: 'INVALID_REQUEST', detail: 'Payment method is canceled by a customer or expired by the financial partner' },
    body: {
      name: 'REFUND_FAILED',
      source: '',
      payload: {
        refundId: 'ae154ee8-f181-47cc-959d-7dea40be6d96',
        payment: {},
        paymentMethod: {},
        customer: {},
        error: { code: 'VENDOR_ERROR', description: 'Payment method is canceled by a customer or expired by the financial partner' },
      },
    },
  },
  {
    sync: { title: 'INVALID_REQUEST', detail: 'Credit is not allowed for bank accounts.' },
    body: {
      name: 'REFUND_FAILED',
      source: '',
      payload: { refundId: 'f9005866-6c00-4a95-a881-070668b6e4ee', error: { code: 'INVALID_REQUEST', description: 'Credit is not allowed for bank accounts.' } },
    },
  },
  {
    sync: { title: 'INVALID_REQUEST', detail: 'Invalid paymentMethodId' },
    body: {
      name: 'REFUND_FAILED',
      source: 'vendor-portal',
      payload: { refundId: '465f1327-73fe-4c04-9635-8a65bf578336', error: { code: 'INVALID_REQUEST', description: 'Invalid paymentMethodId' } },
    },
  },
  {
    sync: { title: 'INVALID_REQUEST', detail: 'Payment is in dispute and not available for refund' },
    body: {
      name: 'REFUND_FAILED',
      source: '',
      payload: {
        refundId: '8d7ecc61-8389-4d9b-a8a6-fe1ec05127cb',
        payment: {},
        paymentMethod: {},
        customer: {},
        error: { code: 'VENDOR_ERROR', description: 'Payment is in dispute and not available for refund' },
      },
    },
  },
  {
    sync: { title: 'INVALID_REQUEST', detail: 'This payment is already refunded' },
    body: {
      name: 'REFUND_FAILED',
      source: '',
      payload: {
        refundId: '6c53af2f-3705-4353-86da-4aeea10ba176',
        payment: {},
        paymentMethod: {},
        customer: {},
        error: { code: 'charge_already_refunded', description: 'This payment is already refunded' },
      },
    },
  },
];

describe('canonicalRefundError', () => {
  for (const r of SEED_REJECTIONS) {
    test(`${r.title} "${r.detail}" → ${r.code}`, () => {
      assert.equal(canonicalRefundError({ title: r.title, status: 400, detail: r.detail }), r.code);
    });
  }

  test('the fifteen rejections map to distinct codes except the two dispute answers', () => {
    const codes = SEED_REJECTIONS.map((r) => r.code);
    assert.equal(new Set(codes).size, 14);
    assert.equal(codes.filter((c) => c === ErrorCode.PAYMENT_DISPUTED).length, 2);
  });

  test('detail matching ignores case, surrounding space, inner runs of space and a final period', () => {
    assert.equal(canonicalRefundError({ title: 'INVALID_REQUEST', detail: '  this PAYMENT is   already refunded. ' }), ErrorCode.PAYMENT_ALREADY_REFUNDED);
    assert.equal(canonicalRefundError({ title: 'INVALID_REQUEST', detail: 'Credit is not allowed for bank accounts' }), ErrorCode.CREDIT_TO_BANK_ACCOUNT);
  });

  test('an unknown detail falls back to the title, then to PSP_REJECTED', () => {
    assert.equal(canonicalRefundError({ title: 'PAYMENT_ERROR', detail: 'Something new' }), ErrorCode.PAYMENT_NOT_REFUNDABLE);
    assert.equal(canonicalRefundError({ title: 'INVALID_REQUEST', detail: 'Something new' }), ErrorCode.PSP_REJECTED);
    assert.equal(canonicalRefundError({}), ErrorCode.PSP_REJECTED);
  });
});

describe('normalizeRefundWebhook', () => {
  for (const w of SEED_WEBHOOKS) {
    const p = (w.body as { payload: { error: { code?: string; description: string } } }).payload.error;
    test(`REFUND_FAILED {code: ${p.code ?? '(missing)'}, "${p.description}"} → the code of ${w.sync.title} "${w.sync.detail}"`, () => {
      const e = normalizeRefundWebhook(w.body);
      assert.equal(e.status, 'FAILED');
      assert.equal(e.errorCode, canonicalRefundError(w.sync));
      assert.notEqual(e.errorCode, ErrorCode.PSP_REJECTED);
      assert.equal(e.errorMessage, p.description);
      assert.equal(e.raw, w.body);
    });
  }

  test('a REFUND_SUCCEEDED body is read field by field, amounts as bigint', () => {
    const body = {
      name: 'REFUND_SUCCEEDED',
      source: '',
      payload: {
        refundId: 'r-1',
        merchantTransactionId: 'mt-1',
        status: 'SUCCEEDED',
        amount: '5000',
        currency: 'EUR',
        createdAt: '2025-01-02T03:04:05.678Z',
        payment: { paymentId: 'pay_1', orderId: 'ord_1' },
        metadata: { orderId: 'ord_1', invoiceNumber: 'INV-2' },
      },
    };
    assert.deepEqual(normalizeRefundWebhook(body), {
      pspRefundId: 'r-1',
      merchantTransactionId: 'mt-1',
      status: 'SUCCEEDED',
      amountMinor: 5000n,
      currency: 'EUR',
      paymentId: 'pay_1',
      paymentMethodId: null,
      orderId: 'ord_1',
      invoiceNumber: 'INV-2',
      errorCode: null,
      errorMessage: null,
      // A webhook is a claim: no version of the PSP's record.
      version: null,
      occurredAt: new Date('2025-01-02T03:04:05.678Z'),
      raw: body,
    });
  });

  test('REFUND_REVERSED becomes status REVERSED; the order falls back to payment.orderId', () => {
    const e = normalizeRefundWebhook({ name: 'REFUND_REVERSED', source: '', payload: { refundId: 'r-2', amount: 10, currency: 'JPY', payment: { paymentId: 'p', orderId: 'o' } } });
    assert.equal(e.status, 'REVERSED');
    assert.equal(e.orderId, 'o');
    assert.equal(e.amountMinor, 10n);
    assert.equal(e.errorCode, null);
  });

  test('a failure without an error object, or with an unknown description and code, is PSP_REJECTED', () => {
    assert.equal(normalizeRefundWebhook({ name: 'REFUND_FAILED', source: '', payload: { refundId: 'x' } }).errorCode, ErrorCode.PSP_REJECTED);
    assert.equal(normalizeRefundWebhook({ name: 'REFUND_FAILED', payload: { refundId: 'x', error: { code: 'weird', description: 'new' } } }).errorCode, ErrorCode.PSP_REJECTED);
  });

  test('a known raw code fills in for an unknown description', () => {
    const e = normalizeRefundWebhook({ name: 'REFUND_FAILED', source: '', payload: { refundId: 'x', error: { code: 'charge_already_refunded', description: 'reworded' } } });
    assert.equal(e.errorCode, ErrorCode.PAYMENT_ALREADY_REFUNDED);
  });

  const UNUSABLE: [string, unknown][] = [
    ['null', null],
    ['an array', [{ name: 'REFUND_FAILED' }]],
    ['a string', 'REFUND_FAILED'],
    ['an unknown name', { name: 'REFUND_PENDING', payload: { refundId: 'x' } }],
    ['no payload', { name: 'REFUND_FAILED', source: '' }],
    ['no refundId', { name: 'REFUND_SUCCEEDED', payload: { amount: '1' } }],
    ['a non-numeric amount', { name: 'REFUND_SUCCEEDED', payload: { refundId: 'x', amount: '12.5' } }],
    ['a float amount', { name: 'REFUND_SUCCEEDED', payload: { refundId: 'x', amount: 12.5 } }],
  ];
  for (const [what, body] of UNUSABLE) {
    test(`a body with ${what} is refused with WebhookPayloadError`, () => {
      assert.throws(() => normalizeRefundWebhook(body), WebhookPayloadError);
    });
  }
});

/**
 * The simulator emits each rejection's webhook in the seed's shape: for every rejection that has
 * a webhook, the normalized webhook and the synchronous answer must agree on one code.
 */
describe('the PSP simulator: synchronous answer and webhook agree', () => {
  const sim = createPspSimulator();
  let url: string;
  let close: () => Promise<void>;
  before(async () => ({ url, close } = await sim.start()));
  after(() => close());

  const post = async (path: string, body: unknown) => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const payment = async (o: Record<string, unknown> = {}, capture = true) => {
    const p = (await post('/payments', { amount: '1000', currency: 'EUR', ...o })).body;
    if (capture) await post(`/payments/${p.id}/captures`, {});
    return p;
  };
  const cases: [string, () => Promise<Record<string, unknown>>, ErrorCode][] = [
    ['unknown payment', async () => ({ paymentId: 'pay_nope' }), ErrorCode.PAYMENT_NOT_REFUNDABLE],
    ['authorized payment', async () => ({ paymentId: (await payment({}, false)).id }), ErrorCode.PAYMENT_NOT_CAPTURED],
    [
      'fraud dispute',
      async () => {
        const p = await payment();
        await post(`/payments/${p.id}/dispute`, { disputed: true, fraud: true });
        return { paymentId: p.id };
      },
      ErrorCode.PAYMENT_DISPUTED,
    ],
    [
      'dispute',
      async () => {
        const p = await payment();
        await post(`/payments/${p.id}/dispute`, { disputed: true });
        return { paymentId: p.id };
      },
      ErrorCode.PAYMENT_DISPUTED,
    ],
    [
      'fully refunded',
      async () => {
        const p = await payment();
        await post('/refunds', { paymentId: p.id, merchantTransactionId: randomUUID() });
        return { paymentId: p.id };
      },
      ErrorCode.PAYMENT_ALREADY_REFUNDED,
    ],
    ['over-refund', async () => ({ paymentId: (await payment()).id, amount: '1001' }), ErrorCode.AMOUNT_EXCEEDS_REFUNDABLE],
    [
      'inactive method (linked)',
      async () => ({ paymentId: (await payment({ paymentMethodStatus: 'EXPIRED', paymentMethodId: `pm_${randomUUID()}` })).id }),
      ErrorCode.PAYMENT_METHOD_INACTIVE,
    ],
    ['unknown method', async () => ({ paymentMethodId: 'pm_nope', amount: '10', customer: { hsid: 'h' } }), ErrorCode.PAYMENT_METHOD_NOT_FOUND],
    [
      'bank account',
      async () => ({ paymentMethodId: (await payment({ method: 'BANK_ACCOUNT' })).paymentMethodId, amount: '10', customer: { hsid: 'h' } }),
      ErrorCode.CREDIT_TO_BANK_ACCOUNT,
    ],
    ['over the credit limit', async () => ({ paymentMethodId: (await payment()).paymentMethodId, amount: '100001', customer: { hsid: 'h' } }), ErrorCode.CREDIT_LIMIT_EXCEEDED],
  ];
  for (const [what, build, code] of cases) {
    test(`${what} → ${code} from both`, async () => {
      sim.webhooks.configure({ mode: 'hold' });
      const before = sim.webhooks.events.length;
      const res = await post('/refunds', { ...(await build()), merchantTransactionId: randomUUID() });
      assert.equal(res.status, 400);
      assert.equal(canonicalRefundError(res.body), code);
      const failed = sim.webhooks.events.slice(before).filter((e) => e.type === 'REFUND_FAILED');
      assert.equal(failed.length, 1);
      assert.equal(normalizeRefundWebhook(JSON.parse(failed[0]!.raw)).errorCode, code);
    });
  }

  test('validation failures answer their code and send no webhook', async () => {
    const before = sim.webhooks.events.length;
    const p = await payment();
    const mt = randomUUID();
    await post('/refunds', { paymentId: p.id, amount: '1', merchantTransactionId: mt });
    const after = sim.webhooks.events.length;
    const answers = await Promise.all([
      post('/refunds', { amount: '1', merchantTransactionId: randomUUID() }),
      post('/refunds', { paymentId: p.id, paymentMethodId: p.paymentMethodId, merchantTransactionId: randomUUID() }),
      post('/refunds', { paymentMethodId: p.paymentMethodId, customer: { hsid: 'h' }, merchantTransactionId: randomUUID() }),
      post('/refunds', { paymentMethodId: p.paymentMethodId, amount: '1', customer: {}, merchantTransactionId: randomUUID() }),
      post('/refunds', { paymentId: p.id, amount: '1', merchantTransactionId: mt }),
    ]);
    assert.deepEqual(
      answers.map((a) => canonicalRefundError(a.body)),
      [
        ErrorCode.PAYMENT_IDENTIFIER_REQUIRED,
        ErrorCode.PAYMENT_IDENTIFIER_AMBIGUOUS,
        ErrorCode.AMOUNT_REQUIRED,
        ErrorCode.CUSTOMER_IDENTIFIER_REQUIRED,
        ErrorCode.DUPLICATE_MERCHANT_TRANSACTION,
      ],
    );
    assert.ok(after > before);
    assert.equal(sim.webhooks.events.length, after);
  });
});
