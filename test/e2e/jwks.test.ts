/** Tokens of a real identity provider: keys from its JWKS endpoint, fetched, cached and rotated; an unreachable provider is not the caller's fault. */
import assert from 'node:assert/strict';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';
import { bearer, token } from '../support/tokens';
import { ConfigError, loadConfig } from '../../src/config';

interface Key {
  kid: string;
  priv: string;
  jwk: Record<string, unknown>;
}
function rsaKey(kid: string): Key {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    priv: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    jwk: { ...(publicKey as KeyObject).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}

/** The identity provider's JWKS endpoint: the keys it publishes now, how often it was asked, and whether it answers. */
const idp = { keys: [] as Key[], fetches: 0, status: 200 };
const server = http.createServer((_req, res) => {
  idp.fetches++;
  res.writeHead(idp.status, { 'Content-Type': 'application/json' });
  res.end(idp.status === 200 ? JSON.stringify({ keys: idp.keys.map((k) => k.jwk) }) : '{"error":"down"}');
});

const first = rsaKey('2026-11');
const next = rsaKey('2026-12');
const stranger = rsaKey('2026-11');
let t: TestApp;

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  idp.keys = [first];
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  t = await createTestApp({ env: { JWKS_URL: url, JWKS_COOLDOWN_MS: '0', JWKS_TIMEOUT_MS: '2000' } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
  server.close();
});

async function ask(tok: string) {
  // The statuses a GraphQL client asks for (application/json answers refusals with 200, for gateways).
  const res = await t.http
    .post('/graphql')
    .set('Content-Type', 'application/json')
    .set('Accept', 'application/graphql-response+json')
    .set(bearer(tok))
    .send({ query: '{ orders(first: 1) { nodes { id } } }' });
  return { status: res.status, body: res.body, headers: res.headers };
}

test("a token signed with the provider's published key is accepted; the key set is fetched once and cached", async () => {
  const before = idp.fetches;
  for (let i = 0; i < 3; i++) {
    const r = await ask(token({ alg: 'RS256', key: first.priv, kid: first.kid, role: 'FINANCE', sub: 'fiona' }));
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  assert.equal(idp.fetches - before, 1, 'one fetch for three requests');
});

test('a key the provider does not publish, a forged signature, an expired token, the wrong audience → 401', async () => {
  const unknownKid = await ask(token({ alg: 'RS256', key: next.priv, kid: next.kid }));
  assert.equal(unknownKid.status, 401);
  assert.match(unknownKid.body.errors[0].message, /unknown signing key/);
  const forged = await ask(token({ alg: 'RS256', key: stranger.priv, kid: first.kid }));
  assert.equal(forged.status, 401);
  assert.match(forged.body.errors[0].message, /bad signature/);
  const expired = await ask(token({ alg: 'RS256', key: first.priv, kid: first.kid, iat: Math.floor(Date.now() / 1000) - 7200, ttl: 600 }));
  assert.equal(expired.status, 401);
  assert.match(expired.body.errors[0].message, /expired/);
  const audience = await ask(token({ alg: 'RS256', key: first.priv, kid: first.kid, audience: 'another-api' }));
  assert.equal(audience.status, 401);
  assert.match(audience.body.errors[0].message, /wrong audience/);
  const role = await ask(token({ alg: 'RS256', key: first.priv, kid: first.kid, role: 'ROOT' }));
  assert.equal(role.status, 401);
  assert.match(role.body.errors[0].message, /claim "role" must be one of/);
  for (const r of [unknownKid, forged, expired, audience, role]) assert.equal(r.body.errors[0].extensions.code, 'UNAUTHENTICATED');
});

test("the provider rotates its keys: a token with the new key id is accepted without a restart, the retired key's are refused", async () => {
  idp.keys = [next];
  const fresh = await ask(token({ alg: 'RS256', key: next.priv, kid: next.kid }));
  assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
  const retired = await ask(token({ alg: 'RS256', key: first.priv, kid: first.kid }));
  assert.equal(retired.status, 401);
  assert.match(retired.body.errors[0].message, /unknown signing key/);
});

test('the provider cannot be reached for a new key: 503 UPSTREAM_UNAVAILABLE with Retry-After, not a 401', async () => {
  idp.status = 500;
  try {
    const r = await ask(token({ alg: 'RS256', key: stranger.priv, kid: 'not-cached-yet' }));
    assert.equal(r.status, 503, JSON.stringify(r.body));
    assert.equal(r.body.errors[0].extensions.code, 'UPSTREAM_UNAVAILABLE');
    assert.equal(r.headers['retry-after'], '5');
    assert.doesNotMatch(JSON.stringify(r.body), /JSON Web Key Set|stack|at /);
  } finally {
    idp.status = 200;
  }
});

test('API keys and HS256 tokens stop at nothing: without JWT_SECRET, the dev secret is not accepted once a JWKS is configured', async () => {
  assert.equal((await ask(token({ alg: 'HS256' }))).status, 401);
  const res = await t.http.post('/graphql').set('Content-Type', 'application/json').set(bearer('demo-support-key')).send({ query: '{ __typename }' });
  assert.equal(res.status, 200);
});

test('JWKS_URL: production takes https only and accepts it as the only credential source; a URL that is not one is refused', () => {
  const prod = {
    NODE_ENV: 'production',
    DATABASE_URL: 'mysql://u:p@db.internal:3306/moneygraph',
    WEBHOOK_SECRET_OMS: 'prod-oms-secret-0123456789',
    WEBHOOK_SECRET_PSP: 'prod-psp-secret-0123456789',
    WEBHOOK_SECRET_ERP: 'prod-erp-secret-0123456789',
    OMS_BASE_URL: 'https://oms.internal',
    PSP_BASE_URL: 'https://psp.internal',
    ERP_BASE_URL: 'https://erp.internal',
  };
  assert.throws(
    () => loadConfig({ ...prod, JWKS_URL: 'http://idp.example.com/jwks.json' }),
    (e: unknown) => e instanceof ConfigError && /JWKS_URL must be an https URL/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ NODE_ENV: 'test', JWKS_URL: 'idp.example.com' }),
    (e: unknown) => e instanceof ConfigError && /JWKS_URL/.test(e.message),
  );
  const c = loadConfig({ ...prod, JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' });
  assert.equal(c.jwt.jwks?.url, 'https://idp.example.com/.well-known/jwks.json');
  assert.equal(c.jwt.secret, undefined, 'no shared secret in production');
});
