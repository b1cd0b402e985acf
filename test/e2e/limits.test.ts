/**
 * Limits: depth, aliases, cost, `first` on every connection, tokens, body size, the per-actor
 * cost budget, the execution deadline, batching, introspection and the IDE by configuration.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, parse, OperationDefinitionNode } from 'graphql';
import { createConnection } from 'mysql2/promise';
import { createTestApp, DEMO_KEYS, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder } from '../support/drive';
import { minimalRequest } from '../support/schema-samples';
import { bearer, token } from '../support/tokens';
import { DEMO_API_KEYS } from '../../src/config';
import { appSchema } from '../../src/modules';
import { checkOperation } from '../../src/graphql/limits';
import { DEFAULT_ROLE_LIMITS } from '../../src/graphql/limits.config';
import { ManualClock } from '../../src/shared/clock';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await paidOrder(t.sims);
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const code = (r: { errors?: { extensions?: Record<string, any> }[] }) => r.errors?.[0]?.extensions?.code;

/** 11 levels: over SUPPORT's 10, within ANALYST's 12. */
const DEEP = '{ orders(first: 1) { edges { node { refunds { invoice { order { payments { captures { payment { order { id } } } } } } } } } } }';

describe('shape limits (per role)', () => {
  test('depth: SUPPORT is refused at 11 levels, ANALYST may go to 12', async () => {
    const s = await t.gql('SUPPORT', DEEP);
    assert.equal(s.status, 400);
    assert.equal(code(s), 'QUERY_TOO_COMPLEX');
    assert.match(s.errors![0]!.message, /depth 11 exceeds the limit of 10/);
    assert.equal(s.data, undefined);
    const a = await t.gql('ANALYST', DEEP);
    assert.equal(a.status, 200, JSON.stringify(a.errors));
  });

  test('aliases: counted through fragment spreads', async () => {
    const many = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    assert.equal((await t.gql('SUPPORT', many(30))).status, 200);
    const r = await t.gql('SUPPORT', many(31));
    assert.equal(code(r), 'QUERY_TOO_COMPLEX');
    assert.match(r.errors![0]!.message, /31 aliases; the limit is 30/);
    const spread = await t.gql(
      'SUPPORT',
      `{ ...F ...F2 } fragment F on Query { ${Array.from({ length: 16 }, (_, i) => `f${i}: __typename`).join(' ')} } fragment F2 on Query { ...F }`,
    );
    assert.equal(code(spread), 'QUERY_TOO_COMPLEX', 'two spreads of 16 aliases are 32');
  });

  test('cost: pinned model, reported in extensions; SUPPORT refused where ANALYST is served', async () => {
    const small = await t.gql('SUPPORT', '{ orders(first: 5) { nodes { id payments { id } } } }');
    // 1 (connection) + 5 × (1 node + 10 payments × 1)
    assert.equal(small.extensions?.cost.requestedQueryCost, 56);
    const heavy = '{ orders(first: 100) { nodes { invoices { id } payments { captures { id } } refunds { id } } } }';
    // 1 + 100 × (1 + 10 + 10 × (1 + 10) + 10) = 13101
    const s = await t.gql('SUPPORT', heavy);
    assert.equal(s.status, 400);
    assert.equal(code(s), 'QUERY_TOO_COMPLEX');
    assert.deepEqual([s.errors![0]!.extensions!.actual, s.errors![0]!.extensions!.limit], [13101, DEFAULT_ROLE_LIMITS.SUPPORT.maxCost]);
    const a = await t.gql('ANALYST', heavy);
    assert.equal(a.status, 200, JSON.stringify(a.errors));
    assert.equal(a.extensions?.cost.requestedQueryCost, 13101);
  });

  test('a fragment fan-out too large to cost is refused outright', async () => {
    const frags = Array.from({ length: 6 }, (_, i) => `fragment L${i} on Query { ${i === 5 ? '__typename' : Array.from({ length: 8 }, () => `...L${i + 1}`).join(' ')} }`).join(
      ' ',
    );
    const r = await t.gql('ANALYST', `{ ...L0 } ${frags}`);
    assert.equal(code(r), 'QUERY_TOO_COMPLEX');
    assert.match(r.errors![0]!.message, /too large to cost/);
  });
});

describe('`first` on every connection', () => {
  test('every root field with `first` refuses 101 and -1 before its resolver runs, and takes 100', async () => {
    const schema = await appSchema();
    const fields = Object.values(schema.getQueryType()!.getFields()).filter((f) => f.args.some((a) => a.name === 'first'));
    assert.ok(fields.length >= 2, fields.map((f) => f.name).join());
    for (const f of fields) {
      for (const first of [101, -1]) {
        const { query, variables } = minimalRequest('query', f, { first });
        const r = await t.gql('ADMIN', query, variables);
        assert.equal(code(r), 'BAD_USER_INPUT', `${f.name}(first: ${first}): ${JSON.stringify(r)}`);
        assert.equal(r.errors![0]!.extensions!.field, 'first');
        assert.equal(r.status, 400);
      }
      const { query, variables } = minimalRequest('query', f, { first: 100 });
      const ok = await t.gql('ADMIN', query, variables);
      assert.ok(!(ok.errors ?? []).some((e) => e.extensions?.field === 'first'), `${f.name}(first: 100): ${JSON.stringify(ok.errors)}`);
    }
  });

  test('nested connections are held to the same bound (schema walk, not per resolver)', () => {
    const schema = buildSchema(`type Query { a: A } type A { things(first: Int): ThingConnection } type ThingConnection { nodes: [Thing] } type Thing { id: ID }`);
    const doc = parse('{ a { things(first: 101) { nodes { id } } } }');
    assert.throws(() => checkOperation(schema, doc, doc.definitions[0] as OperationDefinitionNode, {}, DEFAULT_ROLE_LIMITS.ADMIN, 100), /at most 100/);
    const ok = parse('{ a { things(first: 7) { nodes { id } } } }');
    assert.equal(checkOperation(schema, ok, ok.definitions[0] as OperationDefinitionNode, {}, DEFAULT_ROLE_LIMITS.ADMIN, 100).cost, 1 + 1 + 7 * 1);
  });
});

describe('request size', () => {
  test('more than GRAPHQL_MAX_TOKENS tokens → GRAPHQL_PARSE_FAILED before validation', async () => {
    const r = await t.gql('ANALYST', `{ ${'__typename '.repeat(5_001)} }`);
    assert.equal(r.status, 400);
    assert.equal(code(r), 'GRAPHQL_PARSE_FAILED');
    assert.match(r.errors![0]!.message, /contains more th\w+ 5000 tokens/);
  });

  test('a body over GRAPHQL_MAX_BYTES → 413', async () => {
    const res = await t.http
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .set(bearer(DEMO_KEYS.ADMIN))
      .send({ query: '{ __typename }', variables: { pad: 'x'.repeat(262_144) } });
    assert.equal(res.status, 413);
    assert.equal(res.body.errors[0].message, 'request body too large');
  });

  test('batched operations → 400 with a clear message', async () => {
    const res = await t.http
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .set(bearer(DEMO_KEYS.ADMIN))
      .send([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    assert.equal(res.status, 400);
    assert.match(res.body.errors[0].message, /Batched operations .* are not supported/);
  });
});

describe('per-actor cost budget', () => {
  const clock = new ManualClock(new Date());
  let b: TestApp;
  before(async () => {
    b = await createTestApp({ clock, env: { GRAPHQL_LIMITS: JSON.stringify({ SUPPORT: { budget: 200, maxCost: 200, restorePerSecond: 10 } }) } });
  });
  after(async () => b?.close());
  const Q = '{ orders(first: 5) { nodes { id payments { id } } } }'; // cost 56
  const as = (sub: string, role = 'SUPPORT') => bearer(token({ sub, role, iat: Math.floor(clock.now().getTime() / 1000) }));
  const ask = async (headers: Record<string, string>) => {
    const res = await b.http.post('/graphql').set('Content-Type', 'application/json').set('Accept', 'application/graphql-response+json').set(headers).send({ query: Q });
    return { status: res.status, body: res.body, headers: res.headers };
  };

  test('drains by the cost taken, refuses with 429 and Retry-After, refills with time', async () => {
    const left = [];
    for (let i = 0; i < 3; i++) {
      const r = await ask(as('carol'));
      assert.equal(r.status, 200);
      left.push(r.body.extensions.cost.throttleStatus.currentlyAvailable);
    }
    assert.deepEqual(left, [144, 88, 32]);
    const refused = await ask(as('carol'));
    assert.equal(refused.status, 429);
    assert.equal(refused.body.errors[0].extensions.code, 'RATE_LIMITED');
    assert.equal(refused.headers['retry-after'], '3'); // (56 − 32) / 10 per second
    assert.deepEqual(refused.body.extensions.cost, { requestedQueryCost: 56, throttleStatus: { maximumAvailable: 200, currentlyAvailable: 32, restoreRate: 10 } });
    assert.equal(refused.body.data, undefined);
    // The on-call engineer sees the rejection.
    const metrics = (await b.http.get('/metrics')).text;
    assert.match(metrics, /^moneygraph_graphql_errors_total\{code="RATE_LIMITED"\} 1$/m);

    // Another person, and another role, have buckets of their own.
    assert.equal((await ask(as('dave'))).status, 200);
    assert.equal((await ask(as('carol', 'ANALYST'))).status, 200);

    clock.advance(3_000);
    const again = await ask(as('carol'));
    assert.equal(again.status, 200);
    assert.equal(again.body.extensions.cost.throttleStatus.currentlyAvailable, 6);
  });

  test('a request refused before costing (validation) takes nothing but reports the budget', async () => {
    const res = await b.http
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .set('Accept', 'application/graphql-response+json')
      .set(as('erin'))
      .send({ query: '{ nope }' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.extensions.cost, { requestedQueryCost: 0, throttleStatus: { maximumAvailable: 200, currentlyAvailable: 200, restoreRate: 10 } });
  });
});

// The execution races the deadline once, in the executor, whether queries are compiled or run through graphql-js.
for (const compiled of ['true', 'false'])
  describe(`execution deadline (GRAPHQL_COMPILED_QUERIES=${compiled})`, () => {
    let d: TestApp;
    before(async () => {
      d = await createTestApp({ env: { GRAPHQL_COMPILED_QUERIES: compiled, GRAPHQL_LIMITS: JSON.stringify({ SUPPORT: { timeoutMs: 300 } }) } });
    });
    after(async () => d?.close());

    test('a query held up by a locked table is answered TIMEOUT (503) with the request id; the service serves on', async () => {
      const url = new URL(d.db.url);
      const conn = await createConnection({
        host: url.hostname,
        port: Number(url.port),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: d.db.name,
      });
      await conn.query('LOCK TABLES oms_order WRITE');
      // Should the deadline not fire, release the lock anyway so the test fails instead of hanging.
      const safety = setTimeout(() => void conn.query('UNLOCK TABLES'), 10_000);
      let r;
      try {
        r = await d.gql('SUPPORT', '{ orders(first: 1) { nodes { id } } }');
      } finally {
        clearTimeout(safety);
        await conn.query('UNLOCK TABLES');
        await conn.end();
      }
      assert.equal(r.status, 503, JSON.stringify(r));
      assert.deepEqual(
        r.errors!.map((e) => e.extensions?.code),
        ['TIMEOUT'],
      );
      assert.match(r.errors![0]!.message, /time limit of 300 ms/);
      assert.equal(r.errors![0]!.extensions!.requestId, r.extensions?.requestId);
      assert.equal(r.data, undefined);
      const later = await d.gql('SUPPORT', '{ orders(first: 1) { nodes { id } } }');
      assert.equal(later.status, 200);
    });
  });

describe('introspection and the IDE by configuration', () => {
  test('development/test: introspection and the IDE are on', async () => {
    const r = await t.gql('SUPPORT', '{ __schema { queryType { name } } }');
    assert.equal(r.data.__schema.queryType.name, 'Query');
    const ide = await t.http.get('/graphql').set('Accept', 'text/html');
    assert.equal(ide.status, 200);
    assert.match(ide.text, /GraphiQL/);
    assert.equal((await t.http.get('/graphiql/yoga-graphiql.umd.js')).status, 200);
  });

  describe('production', () => {
    let p: TestApp;
    before(async () => {
      p = await createTestApp({ env: { NODE_ENV: 'production', API_KEYS: DEMO_API_KEYS, JWT_SECRET: 'prod-like-secret-0123456789abcdef0123' } });
    });
    after(async () => p?.close());

    test('introspection is refused, and error messages do not suggest field names', async () => {
      const r = await p.gql('ANALYST', '{ __schema { queryType { name } } }');
      assert.equal(code(r), 'GRAPHQL_VALIDATION_FAILED');
      assert.match(r.errors![0]!.message, /introspection/i);
      const typo = await p.gql('ANALYST', '{ orderz { id } }');
      assert.equal(code(typo), 'GRAPHQL_VALIDATION_FAILED');
      assert.doesNotMatch(JSON.stringify(typo.errors), /Did you mean/);
      const devTypo = await t.gql('ANALYST', '{ orderz { id } }');
      assert.match(JSON.stringify(devTypo.errors), /Did you mean/, 'development keeps the suggestions');
    });

    test('no IDE page, no IDE assets', async () => {
      const ide = await p.http.get('/graphql').set('Accept', 'text/html');
      assert.doesNotMatch(ide.text, /GraphiQL/);
      assert.notEqual(ide.status, 200);
      assert.equal((await p.http.get('/graphiql/yoga-graphiql.umd.js')).status, 404);
    });

    test('the dev JWT secret is not accepted; the configured one is', async () => {
      const dev = await p.http
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .set('Accept', 'application/graphql-response+json')
        .set(bearer(token({ role: 'ADMIN' })))
        .send({ query: '{ __typename }' });
      assert.equal(dev.status, 401);
      const ok = await p.http
        .post('/graphql')
        .set('Content-Type', 'application/json')
        .set('Accept', 'application/graphql-response+json')
        .set(bearer(token({ role: 'ADMIN', key: 'prod-like-secret-0123456789abcdef0123' })))
        .send({ query: '{ __typename }' });
      assert.equal(ok.status, 200);
    });
  });
});
