/**
 * The per-caller cost budget shared by replicas: two service instances on one database meter a
 * caller as one — spending on one replica is seen by the other, concurrent requests on both never
 * grant more than the bucket holds, a restarted replica does not refill it — and a failing store
 * neither lets the caller through unmetered nor takes the API down.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { bearer, token } from '../support/tokens';
import { ManualClock } from '../../src/shared/clock';
import { createLogger } from '../../src/logger';
import { countStatements } from '../../src/db/sql-counter';

const clock = new ManualClock(new Date());
const env = { GRAPHQL_LIMITS: JSON.stringify({ SUPPORT: { budget: 200, maxCost: 200, restorePerSecond: 10 } }) };
const Q = '{ orders(first: 5) { nodes { id payments { id } } } }'; // cost 56
const logLines: string[] = [];

let a: TestApp;
let b: TestApp;

const as = (sub: string) => bearer(token({ sub, role: 'SUPPORT', iat: Math.floor(clock.now().getTime() / 1000) }));
async function ask(replica: TestApp, sub: string) {
  const res = await replica.http.post('/graphql').set('Content-Type', 'application/json').set('Accept', 'application/graphql-response+json').set(as(sub)).send({ query: Q });
  return { status: res.status, body: res.body, retryAfter: res.headers['retry-after'] as string | undefined };
}
const available = (r: { body: any }) => r.body.extensions.cost.throttleStatus.currentlyAvailable as number;

before(async () => {
  a = await createTestApp({ clock, env });
  b = await createTestApp({ clock, env, shareWith: a });
});
after(async () => {
  await b?.close();
  await a?.close();
  await stopTestServer();
});

describe('two replicas on one database', () => {
  test('what a caller spends on one replica is gone on the other; the refusal comes from either', async () => {
    const first = await ask(a, 'carol');
    assert.equal(first.status, 200);
    assert.equal(available(first), 144);
    const second = await ask(b, 'carol');
    assert.equal(second.status, 200);
    assert.equal(available(second), 88, 'replica B saw what A took');
    assert.equal(available(await ask(a, 'carol')), 32);
    // B last heard 88 from the store: its query starts beside the take, and the take refuses it.
    const refused = await ask(b, 'carol');
    assert.equal(refused.status, 429);
    assert.equal(refused.body.errors[0].extensions.code, 'RATE_LIMITED');
    assert.equal(refused.retryAfter, '3'); // (56 − 32) / 10 per second
    assert.equal(refused.body.data, undefined, 'nothing read for a refused query is answered');
    assert.deepEqual(refused.body.extensions.cost, { requestedQueryCost: 56, throttleStatus: { maximumAvailable: 200, currentlyAvailable: 32, restoreRate: 10 } });
    assert.equal((await ask(a, 'carol')).status, 429);

    clock.advance(3_000);
    const again = await ask(b, 'carol');
    assert.equal(again.status, 200);
    assert.equal(available(again), 6);
  });

  test('concurrent requests on both replicas grant exactly what the bucket holds', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(i % 2 === 0 ? a : b, 'dave')));
    const served = answers.filter((r) => r.status === 200).length;
    assert.equal(served, 3, JSON.stringify(answers.map((r) => r.status))); // 3 × 56 ≤ 200 < 4 × 56
    assert.equal(answers.filter((r) => r.status === 429).length, 7);
  });

  test('a restarted replica does not refill the bucket', async () => {
    assert.equal(available(await ask(a, 'erin')), 144);
    assert.equal(available(await ask(b, 'erin')), 88);
    await b.close();
    b = await createTestApp({ clock, env, shareWith: a });
    assert.equal(available(await ask(b, 'erin')), 32, 'the restarted replica starts from the shared level');
  });
});

describe('a query beside its budget take', () => {
  /** Holds the caller's budget row locked from another connection, so that its next take waits. */
  async function holdBucket(sub: string, role = 'SUPPORT') {
    const qr = a.dataSource.createQueryRunner();
    await qr.startTransaction();
    const [row] = await qr.query('SELECT * FROM `graphql_budget` WHERE `caller` = ? FOR UPDATE', [`${role}:${sub}`]);
    assert.ok(row, `the bucket of ${role}:${sub} exists`);
    return async () => {
      await qr.commitTransaction();
      await qr.release();
    };
  }
  /** Statements the service sends in the next `ms` (the budget's own are not counted). */
  const statementsWithin = async (ms: number) => (await countStatements(() => new Promise((r) => setTimeout(r, ms)))).count;

  test('a query the bucket covers reads while its take waits, and answers once the take is written', async () => {
    assert.equal((await ask(a, 'gina')).status, 200);
    const release = await holdBucket('gina');
    let answered = false;
    const pending = ask(a, 'gina').then((r) => ((answered = true), r));
    try {
      const n = await statementsWithin(400);
      assert.ok(n >= 1, `the page was read while the take waited (${n} statements)`);
      assert.equal(answered, false, 'no answer before the take is written');
    } finally {
      await release();
    }
    const r = await pending;
    assert.equal(r.status, 200);
    assert.equal(available(r), 88);
    assert.ok(Array.isArray(r.body.data.orders.nodes));
  });

  test('a caller this replica knows is short waits for the take: nothing is read for the refusal', async () => {
    for (const left of [144, 88, 32]) assert.equal(available(await ask(a, 'hank')), left);
    const release = await holdBucket('hank');
    const pending = ask(a, 'hank');
    try {
      assert.equal(await statementsWithin(300), 0);
    } finally {
      await release();
    }
    const refused = await pending;
    assert.equal(refused.status, 429);
    assert.equal(refused.body.errors[0].extensions.code, 'RATE_LIMITED');
  });

  test('a mutation waits for its take even when the bucket covers it: nothing runs before the take is written', async () => {
    const admin = bearer(token({ sub: 'ivy', role: 'ADMIN', iat: Math.floor(clock.now().getTime() / 1000) }));
    // async: a supertest request is sent only once something waits for it
    const send = async (query: string, variables = {}) =>
      await a.http.post('/graphql').set('Content-Type', 'application/json').set('Accept', 'application/graphql-response+json').set(admin).send({ query, variables });
    assert.equal((await send(Q)).status, 200); // the bucket exists, and this replica has seen it with room to spare
    const release = await holdBucket('ivy', 'ADMIN');
    const pending = send('mutation($input: RefundInvoiceInput!) { refundInvoice(input: $input) { refund { id } } }', {
      input: { orderId: 'no-such-order', invoiceId: 'no-such-invoice', idempotencyKey: 'ivy-waits-for-her-take', reason: 'customer return' },
    });
    try {
      assert.equal(await statementsWithin(300), 0, 'the refund read nothing while its take waited');
    } finally {
      await release();
    }
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal(res.body.data?.refundInvoice?.refund, null, JSON.stringify(res.body).slice(0, 300)); // no such order: no refund
    assert.ok(res.body.extensions.cost.requestedQueryCost > 0, 'the mutation was costed and taken');
  });
});

describe('when the store fails', () => {
  test('the replica meters the caller on its own bucket, serves on, and says so in the log', async () => {
    const failing = await createTestApp({
      clock,
      env,
      shareWith: a,
      logger: createLogger(
        'warn',
        new Writable({
          write(chunk, _enc, done) {
            logLines.push(String(chunk));
            done();
          },
        }),
      ),
    });
    await a.dataSource.query('RENAME TABLE `graphql_budget` TO `graphql_budget_away`');
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await ask(failing, 'frank')).status);
      // Served while the store is away, and still metered: the fourth is over the replica's own bucket.
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      assert.ok(
        logLines.some((l) => /shared GraphQL budget store failed/.test(l)),
        'the fallback is logged',
      );
    } finally {
      await a.dataSource.query('RENAME TABLE `graphql_budget_away` TO `graphql_budget`');
      await failing.close();
    }
    // The store is back: the caller's shared bucket is untouched by what the replica metered alone.
    assert.equal(available(await ask(a, 'frank')), 144);
  });
});
