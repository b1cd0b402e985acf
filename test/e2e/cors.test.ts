import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestApp, DEMO_KEYS, stopTestServer, TestApp } from '../support/test-app';

const ADMIN_UI = 'https://admin.example.com';
let t: TestApp;
before(async () => {
  t = await createTestApp({ env: { CORS_ORIGINS: `${ADMIN_UI}, https://support.example.com` } });
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

test('a preflight from an allowed origin is answered before authentication, with the headers a GraphQL client needs', async () => {
  const r = await t.http
    .options('/graphql')
    .set('Origin', ADMIN_UI)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization,content-type');
  assert.equal(r.status, 204);
  assert.equal(r.headers['access-control-allow-origin'], ADMIN_UI);
  assert.match(r.headers['access-control-allow-headers'] ?? '', /Authorization/);
  assert.match(r.headers['access-control-allow-methods'] ?? '', /POST/);
  assert.equal(r.headers['access-control-allow-credentials'], undefined, 'no cookies: the credential is the Authorization header');
});

test('an allowed origin reads the answer of an authenticated POST; other origins get no CORS headers', async () => {
  const ok = await t.http.post('/graphql').set('Origin', ADMIN_UI).set('Authorization', `Bearer ${DEMO_KEYS.SUPPORT}`).send({ query: '{ __typename }' });
  assert.equal(ok.status, 200);
  assert.equal(ok.headers['access-control-allow-origin'], ADMIN_UI);
  assert.match(ok.headers['access-control-expose-headers'] ?? '', /X-Request-Id/);
  const evil = await t.http.options('/graphql').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
  assert.equal(evil.headers['access-control-allow-origin'], undefined);
  const other = await t.http
    .post('/graphql')
    .set('Origin', 'https://admin.example.com.evil.example')
    .set('Authorization', `Bearer ${DEMO_KEYS.SUPPORT}`)
    .send({ query: '{ __typename }' });
  assert.equal(other.headers['access-control-allow-origin'], undefined);
});

test('CORS_ORIGINS takes exact origins only', async () => {
  const { loadConfig, ConfigError } = await import('../../src/config');
  assert.throws(
    () => loadConfig({ CORS_ORIGINS: 'https://admin.example.com/' }),
    (e: unknown) => e instanceof ConfigError && /not an exact origin/.test((e as Error).message),
  );
  assert.deepEqual(loadConfig({ CORS_ORIGINS: 'https://a.example:8443,http://localhost:3000' }).corsOrigins, ['https://a.example:8443', 'http://localhost:3000']);
});
