/** Authentication (JWT HS256/RS256 and API keys), role masking, federation lookups, the policy table at runtime. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { buildSchema, execute, OperationDefinitionNode, parse } from 'graphql';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder } from '../support/drive';
import { bearer, token } from '../support/tokens';
import { ManualClock } from '../../src/shared/clock';
import { assertOperationAllowed, enforceOperationPolicies, QUERY_POLICY } from '../../src/graphql/operation-policy';
import { Actor, Role } from '../../src/shared/actor';

const ORDER = 'query($id: ID!) { order(id: $id) { id customerId } }';

let t: TestApp;
let orderId: string;
const clock = new ManualClock(new Date());

async function post(headers: Record<string, string>, query = ORDER, variables: Record<string, unknown> = { id: orderId }) {
  const res = await t.http.post('/graphql').set('Content-Type', 'application/json').set('Accept', 'application/graphql-response+json').set(headers).send({ query, variables });
  return { status: res.status, body: res.body, headers: res.headers };
}

function assertUnauthenticated(r: { status: number; body: any; headers: any }, message: RegExp) {
  assert.equal(r.status, 401, JSON.stringify(r.body));
  assert.equal(r.body.errors[0].extensions.code, 'UNAUTHENTICATED');
  assert.match(r.body.errors[0].message, message);
  assert.match(r.headers['www-authenticate'], /^Bearer realm="moneygraph"/);
  assert.equal(r.body.data, undefined);
}

before(async () => {
  t = await createTestApp({ clock });
  orderId = (await paidOrder(t.sims, { customerId: 'cust-12345678' })).orderId;
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

const now = () => Math.floor(clock.now().getTime() / 1000);

describe('bearer JWT (HS256, the configured secret)', () => {
  test('a valid token acts with its role and subject', async () => {
    const r = await post(bearer(token({ role: 'ANALYST', sub: 'alice', iat: now() })));
    assert.equal(r.status, 200);
    assert.equal(r.body.data.order.id, orderId);
    assert.equal(r.body.data.order.customerId, 'cust-12345678', 'ANALYST reads customer identifiers');
  });

  test('SUPPORT sees customer identifiers masked, on orders and payments', async () => {
    const r = await post(bearer(token({ role: 'SUPPORT', iat: now() })), 'query($id: ID!) { order(id: $id) { customerId payments { customerId } } }');
    assert.equal(r.body.data.order.customerId, '****5678');
    assert.deepEqual(
      r.body.data.order.payments.map((p: any) => p.customerId),
      ['****5678'],
    );
  });

  test('expired (by the service clock) → 401', async () => {
    const tok = token({ iat: now(), ttl: 60 });
    assert.equal((await post(bearer(tok))).status, 200);
    clock.advance(61_000 + 30_000); // past exp and the 30 s clock tolerance
    try {
      assertUnauthenticated(await post(bearer(tok)), /expired/);
    } finally {
      clock.set(new Date());
    }
  });

  test('not yet valid (nbf in the future) → 401', async () => {
    assertUnauthenticated(await post(bearer(token({ iat: now(), extra: { nbf: now() + 3600 } }))), /not yet valid/);
  });

  test('signed with another secret → 401', async () => {
    assertUnauthenticated(await post(bearer(token({ iat: now(), key: 'another-secret-of-at-least-32-characters!!' }))), /bad signature/);
  });

  test('a tampered payload → 401', async () => {
    const [h, , s] = token({ role: 'SUPPORT', iat: now() }).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'alice', role: 'ADMIN', iat: now(), exp: now() + 60, iss: 'moneygraph', aud: 'moneygraph' })).toString('base64url');
    assertUnauthenticated(await post(bearer(`${h}.${forged}.${s}`)), /bad signature/);
  });

  test('wrong issuer or audience → 401', async () => {
    assertUnauthenticated(await post(bearer(token({ iat: now(), issuer: 'someone-else' }))), /wrong issuer/);
    assertUnauthenticated(await post(bearer(token({ iat: now(), audience: 'another-api' }))), /wrong audience/);
  });

  test('alg "none", and RS256 when no public key is configured → 401', async () => {
    assertUnauthenticated(await post(bearer(token({ iat: now(), alg: 'none' }))), /algorithm none is not accepted/);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assertUnauthenticated(await post(bearer(token({ iat: now(), alg: 'RS256', key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }))), /algorithm RS256/);
  });

  test('claims: exp, sub and a known role are required; lifetime is bounded', async () => {
    assertUnauthenticated(await post(bearer(token({ iat: now(), ttl: null }))), /exp is required/);
    assertUnauthenticated(await post(bearer(token({ iat: now(), sub: '' }))), /sub is required/);
    assertUnauthenticated(await post(bearer(token({ iat: now(), role: null }))), /claim "role"/);
    assertUnauthenticated(await post(bearer(token({ iat: now(), role: 'SYSTEM' }))), /claim "role"/);
    assertUnauthenticated(await post(bearer(token({ iat: now(), ttl: 2 * 86_400 }))), /lifetime exceeds 86400/);
  });

  test('garbage and wrong schemes → 401', async () => {
    assertUnauthenticated(await post({ Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.c2ln' }), /Invalid token/);
    assertUnauthenticated(await post({ Authorization: 'Bearer not-a-key-nor-a-token' }), /Invalid credentials/);
    assertUnauthenticated(await post({ Authorization: 'Basic YWxpY2U6c2VjcmV0' }), /must be "Bearer/);
    assertUnauthenticated(await post({ Authorization: `Bearer ${'x'.repeat(9000)}` }), /too long/);
  });
});

describe('npm run token', () => {
  test('prints a JWT the service accepts, with the role and subject asked for', async () => {
    const script = path.resolve(__dirname, '../../scripts/token.js');
    const out = spawnSync(process.execPath, [script, '--role', 'FINANCE', '--sub', 'bob', '--ttl', '600'], { env: { ...process.env, NODE_ENV: 'test' }, encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const tok = out.stdout.trim();
    clock.set(new Date());
    const runs = await post(bearer(tok), '{ reconciliationRuns(first: 1) { nodes { id } } }', {});
    assert.equal(runs.status, 200, JSON.stringify(runs.body));
    const audit = await post(bearer(tok), '{ auditLog(first: 1) { nodes { id } } }', {});
    assert.equal(audit.status, 403, 'FINANCE, not ADMIN');
    assert.match(audit.body.errors[0].message, /FINANCE may not call auditLog/);
    const bad = spawnSync(process.execPath, [script, '--role', 'SYSTEM', '--sub', 'x'], { env: { ...process.env, NODE_ENV: 'test' }, encoding: 'utf8' });
    assert.equal(bad.status, 3, 'bad arguments: the shared usage exit code');
    assert.match(bad.stderr, /usage: npm run -s token/);
  });
});

describe('no credential', () => {
  test('every GraphQL request → 401 UNAUTHENTICATED, even __typename and _service', async () => {
    for (const q of ['{ __typename }', '{ _service { sdl } }', '{ orders { nodes { id } } }', 'mutation { syncOrder(input: { orderId: "x" }) { userErrors { code } } }']) {
      assertUnauthenticated(await post({}, q, {}), /Authentication required/);
    }
    const get = await t.http.get('/graphql').query({ query: '{ __typename }' }).set('Accept', 'application/graphql-response+json');
    assert.equal(get.status, 401);
    // Asked as application/json (what a federation gateway sends), the same refusal is a 200 GraphQL response.
    const legacy = await t.http.get('/graphql').query({ query: '{ __typename }' }).set('Accept', 'application/json');
    assert.equal(legacy.status, 200);
    assert.equal(legacy.body.errors[0].extensions.code, 'UNAUTHENTICATED');
    assert.equal(legacy.body.data, undefined);
  });

  test('health, readiness and metrics stay open; webhooks keep their own HMAC', async () => {
    assert.equal((await t.http.get('/healthz')).status, 200);
    assert.equal((await t.http.get('/readyz')).status, 200);
    assert.equal((await t.http.get('/metrics')).status, 200);
    const w = await t.http.post('/webhooks/oms').set('Content-Type', 'application/json').send({ id: 'e1', type: 'order.upserted' });
    assert.equal(w.status, 401, 'unsigned webhook refused by its HMAC check, not by bearer auth');
  });
});

describe('static API keys (services)', () => {
  test('each demo key acts with its role', async () => {
    const r = await t.gql('SUPPORT', ORDER, { id: orderId });
    assert.equal(r.data.order.customerId, '****5678');
    const a = await t.gql('ADMIN', ORDER, { id: orderId });
    assert.equal(a.data.order.customerId, 'cust-12345678');
  });
});

describe('viewer: who the caller is', () => {
  test("each demo key sees its own role and exactly its role's permissions", async () => {
    const expected = {
      SUPPORT: ['READ_ORDERS'],
      ANALYST: ['READ_ORDERS', 'READ_CUSTOMER_PII', 'READ_REPORTS', 'READ_WEBHOOKS'],
      FINANCE: ['READ_ORDERS', 'READ_CUSTOMER_PII', 'READ_REPORTS', 'RUN_RECONCILIATION', 'DECIDE_FINANCE', 'READ_WEBHOOKS', 'READ_OUTBOX'],
    } as const;
    for (const [role, permissions] of Object.entries(expected)) {
      const r = await t.gql(role as keyof typeof expected, '{ viewer { role subject permissions } }');
      assert.equal(r.data.viewer.role, role);
      assert.match(r.data.viewer.subject, /\S/);
      assert.deepEqual([...r.data.viewer.permissions].sort(), [...permissions].sort(), role);
    }
    const admin = await t.gql('ADMIN', '{ viewer { role permissions } }');
    assert.ok(['ISSUE_REFUNDS', 'DECIDE_ALL', 'RETRY_OUTBOX', 'READ_AUDIT'].every((p) => admin.data.viewer.permissions.includes(p)));
  });

  test("a JWT's subject and role; no credential → 401", async () => {
    const r = await post(bearer(token({ role: 'FINANCE', sub: 'fiona', iat: now() })), '{ viewer { role subject } }', {});
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data.viewer, { role: 'FINANCE', subject: 'fiona' });
    const anonymous = await t.gql(null, '{ viewer { role } }');
    assert.equal(anonymous.status, 401);
  });
});

describe('federation', () => {
  test('_entities resolves every @key type for readers, through loaders', async () => {
    const r = await post(bearer(token({ role: 'SUPPORT', iat: now() })), 'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Order { id customerId } } }', {
      r: [
        { __typename: 'Order', id: orderId },
        { __typename: 'Order', id: 'no-such-order' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.data._entities, [{ __typename: 'Order', id: orderId, customerId: '****5678' }, null]);
  });

  test('an entity type without a rule, or a representation without __typename → FORBIDDEN, nothing resolved', async () => {
    for (const rep of [{ __typename: 'AuditEntry', id: '1' }, { __typename: 'Query' }, { id: orderId }]) {
      const r = await t.gql('ADMIN', 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [{ __typename: 'Order', id: orderId }, rep] });
      assert.equal(r.status, 403, JSON.stringify(r));
      assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN');
      assert.equal(r.data, undefined);
      // Refused alike for every role: the message does not suggest another role could look it up.
      assert.doesNotMatch(r.errors![0]!.message, /Role /);
      assert.match(r.errors![0]!.message, rep.__typename ? new RegExp(`${rep.__typename} is not an entity type of this service`) : /needs a __typename/);
    }
  });

  test('_service gives the SDL to any authenticated caller', async () => {
    const r = await t.gql('SUPPORT', '{ _service { sdl } }');
    assert.match(r.data._service.sdl, /type Order/);
  });
});

describe('the policy table at runtime', () => {
  test('a document with one forbidden root field runs none of its fields', async () => {
    const r = await t.gql('SUPPORT', '{ orders(first: 1) { nodes { id } } auditLog(first: 1) { nodes { id } } }');
    assert.equal(r.status, 403);
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.match(r.errors![0]!.message, /SUPPORT may not call auditLog/);
    assert.equal(r.data, undefined);
  });

  test('a forbidden field hidden in a fragment is found', async () => {
    const r = await t.gql('FINANCE', 'query { ...F } fragment F on Query { ... on Query { auditLog { nodes { id } } } }');
    assert.equal(r.status, 403);
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('the schema-level guard refuses a root field that has no rule, whoever calls', async () => {
    const schema = enforceOperationPolicies(buildSchema('type Query { order: String, brandNewOperation: String }'), (c) => (c as { actor: Actor }).actor);
    const rootValue = { order: 'o', brandNewOperation: 'x' };
    const admin = { actor: { subject: 'a', role: Role.ADMIN, kind: 'user' } as Actor };
    const r = (await execute({ schema, document: parse('{ order brandNewOperation }'), rootValue, contextValue: admin })) as any;
    assert.equal(r.data.order, 'o');
    assert.equal(r.data.brandNewOperation, null);
    assert.equal(r.errors[0].extensions.code, 'FORBIDDEN');
    assert.match(r.errors[0].message, /brandNewOperation has no access rule/);
    assert.ok(!('brandNewOperation' in QUERY_POLICY));
    const op = parse('{ order brandNewOperation }').definitions[0] as OperationDefinitionNode;
    assert.throws(() => assertOperationAllowed(schema, admin.actor as Actor, op, {}, {}), /brandNewOperation has no access rule/);
  });

  test('GraphQL answers, also to GET, are never cacheable', async () => {
    const res = await t.http.get('/graphql').query({ query: '{ orders(first: 1) { nodes { id customerId } } }' }).set('Authorization', 'Bearer demo-analyst-key');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

describe('RS256 with configured public keys', () => {
  const a = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const b = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = (k: typeof a) => ({
    pub: k.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    priv: k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  const [ka, kb] = [pem(a), pem(b)];
  const stranger = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }));
  let rs: TestApp;
  before(async () => {
    rs = await createTestApp({ env: { JWT_PUBLIC_KEYS: JSON.stringify({ 'key-a': ka.pub, 'key-b': kb.pub }) } });
  });
  after(async () => rs?.close());

  const q = async (tok: string) => {
    const res = await rs.http
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .set('Accept', 'application/graphql-response+json')
      .set(bearer(tok))
      .send({ query: '{ orders(first: 1) { nodes { id } } }' });
    return { status: res.status, body: res.body, headers: res.headers };
  };

  test('tokens signed by either configured key (chosen by kid) are accepted', async () => {
    assert.equal((await q(token({ alg: 'RS256', key: ka.priv, kid: 'key-a' }))).status, 200);
    assert.equal((await q(token({ alg: 'RS256', key: kb.priv, kid: 'key-b' }))).status, 200);
  });

  test('a stranger key, a kid naming the wrong key, an unknown kid → 401', async () => {
    assertUnauthenticated(await q(token({ alg: 'RS256', key: stranger.priv, kid: 'key-a' })), /bad signature/);
    assertUnauthenticated(await q(token({ alg: 'RS256', key: kb.priv, kid: 'key-a' })), /bad signature/);
    assertUnauthenticated(await q(token({ alg: 'RS256', key: ka.priv, kid: 'key-z' })), /unknown signing key/);
  });

  test('HS256 signed with the public key as the secret (algorithm confusion) → 401', async () => {
    assertUnauthenticated(await q(token({ alg: 'HS256', key: ka.pub })), /algorithm HS256 is not accepted/);
  });

  test('the dev HS256 secret is not accepted once public keys are configured', async () => {
    assertUnauthenticated(await q(token({ alg: 'HS256' })), /algorithm HS256 is not accepted/);
  });
});
