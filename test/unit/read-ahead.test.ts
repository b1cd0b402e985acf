/**
 * Reading a page's lists ahead: what a selection asks for below a field (src/graphql/selection.ts),
 * and loaders that answer at once for keys a batch has answered (PeekableLoader).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, execute, parse, type GraphQLResolveInfo } from 'graphql';
import { allNow, mapNow, PeekableLoader } from '../../src/graphql/loader-utils';
import { selectedFieldNames } from '../../src/graphql/selection';
import type { GqlContext } from '../../src/graphql/context';
import { readListsAhead } from '../../src/orders/read-ahead';

const schema = buildSchema(`
  type Money { amount: String }
  type Order { id: ID invoices: [String] payments: [String] moneyState: Money total: Money }
  type Edge { node: Order cursor: String }
  type Page { nodes: [Order] edges: [Edge] }
  type Query { orders(first: Int): Page }
`);

/** The info `orders` gets for `query`. */
function infoOf(query: string, variables: Record<string, unknown> = {}): GraphQLResolveInfo {
  let seen: GraphQLResolveInfo | undefined;
  const r = execute({
    schema,
    document: parse(query),
    variableValues: variables,
    rootValue: {
      orders: (_args: unknown, _ctx: unknown, info: GraphQLResolveInfo) => {
        seen = info;
        return null;
      },
    },
  }) as { errors?: unknown[] };
  assert.equal(r.errors, undefined);
  return seen!;
}

test('selected fields: through fragments, inline fragments and aliases, under nodes and under edges.node, as @include and @skip decide', () => {
  const info = infoOf(
    `
    fragment Lists on Order { invoices ... on Order { payments } }
    query($with: Boolean!) {
      orders(first: 2) {
        nodes { id ...Lists money: moneyState { amount } }
        edges { cursor node { total { amount } extra: invoices @include(if: $with) payments @skip(if: false) refunds: id @skip(if: true) } }
      }
    }`,
    { with: false },
  );
  assert.deepEqual([...selectedFieldNames(info, ['nodes'])].sort(), ['id', 'invoices', 'moneyState', 'payments']);
  // @include and @skip as the variables decide them.
  assert.deepEqual([...selectedFieldNames(info, ['edges', 'node'])].sort(), ['payments', 'total']);
  const withInvoices = infoOf(`query($with: Boolean!) { orders { edges { node { invoices @include(if: $with) ... @skip(if: $with) { payments } } } } }`, { with: true });
  assert.deepEqual([...selectedFieldNames(withInvoices, ['edges', 'node'])], ['invoices']);
  assert.deepEqual([...selectedFieldNames(info)].sort(), ['edges', 'nodes']);
  assert.deepEqual([...selectedFieldNames(info, ['pageInfo'])], []);
});

test('a fragment spread twice, or within itself through another, is followed once', () => {
  const info = infoOf(`
    fragment A on Order { id ...B }
    fragment B on Order { invoices }
    { orders { nodes { ...A ...B ...A } } }`);
  assert.deepEqual([...selectedFieldNames(info, ['nodes'])].sort(), ['id', 'invoices']);
});

test('PeekableLoader: answers at once once a batch has answered; clear and prime keep it in step with the cache', async () => {
  const batches: string[][] = [];
  const loader = new PeekableLoader<string, string[]>(async (keys) => {
    batches.push([...keys]);
    return keys.map((k) => [`${k}-v${batches.length}`]);
  }, 100);
  assert.equal(loader.peek('a'), undefined);
  const first = loader.now('a');
  assert.ok(first instanceof Promise, 'not answered yet: through the loader');
  assert.deepEqual(await first, ['a-v1']);
  assert.deepEqual(loader.now('a'), ['a-v1'], 'answered: the value itself');
  assert.equal(loader.now('a'), await loader.load('a'), 'the same object the loader resolves with');
  loader.clear('a');
  assert.equal(loader.peek('a'), undefined);
  assert.deepEqual(await loader.now('a'), ['a-v2']);
  loader.prime('b', ['primed']);
  assert.equal(loader.peek('b'), undefined, 'a primed value is served by the loader');
  assert.deepEqual(await loader.now('b'), ['primed']);
  loader.clearAll();
  assert.equal(loader.peek('a'), undefined);
  assert.deepEqual(batches, [['a'], ['a']]);
});

test('a failed batch is not answered: the field meets its error through the loader', async () => {
  const loader = new PeekableLoader<string, number>(async () => {
    throw new Error('database down');
  }, 100);
  const [r] = await loader.loadMany(['x']);
  assert.ok(r instanceof Error);
  assert.equal(loader.peek('x'), undefined);
  await assert.rejects(Promise.resolve(loader.now('x')), /database down/);
});

test('mapNow and allNow: at once for values, after the promises otherwise', async () => {
  assert.equal(
    mapNow(2, (x) => x * 3),
    6,
  );
  assert.equal(await mapNow(Promise.resolve(2), (x) => x * 3), 6);
  assert.deepEqual(
    allNow([1, 'a'] as const, ([n, s]) => `${n}${s}`),
    '1a',
  );
  const later = allNow([1, Promise.resolve('b')] as const, ([n, s]) => `${n}${s}`);
  assert.ok(later instanceof Promise);
  assert.equal(await later, '1b');
});

test('readListsAhead: loads, for every order of the page, exactly the lists its selected fields read', async () => {
  const names = [
    'invoicesByOrderId',
    'invoiceDataByOrderId',
    'paymentsByOrderId',
    'capturesByOrderId',
    'refundsByOrderId',
    'settlementLinesByOrderId',
    'erpPostingsByOrderId',
    'interactionsByOrderId',
  ] as const;
  const batches: string[] = [];
  const loaders = Object.fromEntries(
    names.map((n) => [
      n,
      new PeekableLoader<string, string[]>(async (keys) => {
        batches.push(`${n}:${keys.join(',')}`);
        return keys.map((k) => [`${n}-${k}`]);
      }, 100),
    ]),
  ) as Record<(typeof names)[number], PeekableLoader<string, string[]>>;
  const info = infoOf('{ orders { nodes { id invoices total { amount } } edges { node { payments } } } }');
  await readListsAhead({ loaders } as unknown as GqlContext, [{ id: 'o1' }, { id: 'o2' }], info);
  // One batch per list the selection reads, for both orders; nothing else read.
  assert.deepEqual(batches.sort(), ['invoicesByOrderId:o1,o2', 'paymentsByOrderId:o1,o2']);
  assert.deepEqual(loaders.invoicesByOrderId.now('o2'), ['invoicesByOrderId-o2'], 'answered at once, no promise');
  assert.equal(loaders.refundsByOrderId.peek('o1'), undefined);
  // moneyState reads seven lists.
  batches.length = 0;
  await readListsAhead({ loaders } as unknown as GqlContext, [{ id: 'o3' }], infoOf('{ orders { nodes { moneyState { amount } } } }'));
  assert.equal(batches.length, 7, batches.join(' '));
  assert.ok(!batches.some((b) => b.startsWith('interactionsByOrderId')));
});

test("readListsAhead: the payments' captures come in the lists' wave and answer each payment found; one not found is left to its field", async () => {
  const batches: string[] = [];
  const lists = (n: string) =>
    new PeekableLoader<string, string[]>(async (keys) => {
      batches.push(`${n}:${keys.join(',')}`);
      return keys.map((k) => [`${n}-${k}`]);
    }, 100);
  const loaders = {
    paymentsByOrderId: lists('paymentsByOrderId'),
    capturesByPaymentId: lists('capturesByPaymentId'),
    // o1 has payments p1 (one capture) and p2 (none); o2's payment was not there when the statement ran.
    capturesOfPaymentsByOrderId: new PeekableLoader<string, ReadonlyMap<string, string[]>>(async (keys) => {
      batches.push(`capturesOfPaymentsByOrderId:${keys.join(',')}`);
      return keys.map((k) =>
        k === 'o1'
          ? new Map([
              ['p1', ['c1']],
              ['p2', []],
            ])
          : new Map(),
      );
    }, 100),
  };
  await readListsAhead({ loaders } as unknown as GqlContext, [{ id: 'o1' }, { id: 'o2' }], infoOf('{ orders { nodes { payments { id captures { id } } } } }'));
  assert.deepEqual(batches.sort(), ['capturesOfPaymentsByOrderId:o1,o2', 'paymentsByOrderId:o1,o2']);
  assert.deepEqual(loaders.capturesByPaymentId.now('p1'), ['c1'], 'answered at once');
  assert.deepEqual(loaders.capturesByPaymentId.now('p2'), [], 'a payment without captures is answered too');
  const p3 = loaders.capturesByPaymentId.now('p3');
  assert.ok(p3 instanceof Promise, 'a payment the statement did not find goes through its loader');
  assert.deepEqual(await p3, ['capturesByPaymentId-p3']);
  // Without captures under payments, the statement is not sent.
  batches.length = 0;
  await readListsAhead({ loaders } as unknown as GqlContext, [{ id: 'o4' }], infoOf('{ orders { edges { node { payments { id } } } } }'));
  assert.deepEqual(batches, ['paymentsByOrderId:o4']);
});

test('PeekableLoader.answer: serves a value read elsewhere at once, and never replaces one already answered', async () => {
  const loader = new PeekableLoader<string, string>(async (keys) => keys.map((k) => `${k}-batch`), 100);
  loader.answer('a', 'a-elsewhere');
  assert.equal(loader.now('a'), 'a-elsewhere');
  assert.equal(await loader.load('a'), 'a-elsewhere', 'the cache holds the same value');
  assert.equal(await loader.load('b'), 'b-batch');
  loader.answer('b', 'b-elsewhere');
  assert.equal(loader.now('b'), 'b-batch', 'what a request has seen for a key stays what it sees');
});

test("pendingRefundCalculation: made once per request and order while the order's lists stay the same, again when one changes", async () => {
  const { pendingRefundCalculation } = await import('../../src/refunds/graphql/refund.resolver');
  const list = <T>(values: Record<string, T[]>) => new PeekableLoader<string, T[]>(async (keys) => keys.map((k) => values[k] ?? []), 100);
  const invoice = { id: 'in-1', orderId: 'o1', kind: 'INPUT', amountMinor: 500n, currency: 'EUR', issuedAt: new Date(0) };
  const loaders = {
    invoicesByOrderId: list({ o1: [invoice] }),
    refundsByOrderId: list({}),
    invoiceDataByOrderId: list({}),
    paymentsByOrderId: list({}),
    capturesByOrderId: list({}),
  };
  const gql = { loaders, ctx: { app: { connectors: { oms: { capabilities: { refundsReturnInvoicesItself: false } } } } } } as unknown as GqlContext;
  const first = await pendingRefundCalculation(gql, 'o1');
  assert.equal(first.totalPendingMinor, 500n);
  assert.equal(pendingRefundCalculation(gql, 'o1'), first, 'the same calculation, at once');
  // Another request calculates for itself.
  const other = { ...gql } as GqlContext;
  assert.notEqual(pendingRefundCalculation(other, 'o1'), first);
  // A list read again (a mutation's prime, say) is a new calculation.
  loaders.invoicesByOrderId.clear('o1').prime('o1', [{ ...invoice, amountMinor: 700n }]);
  const again = await pendingRefundCalculation(gql, 'o1');
  assert.notEqual(again, first);
  assert.equal(again.totalPendingMinor, 700n);
});

test('PeekableLoader.readAhead: keys not yet asked for, in batches of the loader size, answered at once; a failed batch leaves its error for each key', async () => {
  const batches: string[][] = [];
  let fail = false;
  const loader = new PeekableLoader<string, string>(async (keys) => {
    batches.push([...keys]);
    if (fail) throw new Error('database down');
    return keys.map((k) => `${k}-v`);
  }, 2);
  const asked = loader.load('b'); // asked for before: its own batch answers it
  await loader.readAhead(['a', 'b', 'c', 'a', 'd', 'e']);
  assert.deepEqual(await asked, 'b-v');
  assert.deepEqual(batches.sort(), [['a', 'c'], ['b'], ['d', 'e']].sort());
  for (const k of ['a', 'c', 'd', 'e']) assert.equal(loader.now(k), `${k}-v`, 'answered at once');
  assert.equal(await loader.load('a'), 'a-v');
  loader.prime('a', 'other');
  assert.equal(loader.now('a'), 'a-v', 'as with DataLoader, prime does not replace a loaded value');
  await loader.readAhead(['a', 'c']);
  assert.equal(batches.length, 3, 'nothing read again');
  fail = true;
  await loader.readAhead(['x', 'y']);
  assert.equal(loader.peek('x'), undefined);
  await assert.rejects(loader.load('x'), /database down/);
  await assert.rejects(Promise.resolve(loader.now('y')), /database down/);
  assert.equal(batches.length, 4, 'the error is served from the cache, not read again');
});
