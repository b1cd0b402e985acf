import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, stopTestServer, TestApp } from '../support/test-app';

let t: TestApp;
before(async () => {
  t = await createTestApp();
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

describe('health, readiness, metrics', () => {
  test('/healthz answers without credentials', async () => {
    const r = await t.http.get('/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ok' });
  });

  test('/readyz is ready when the database answers and every migration is applied', async () => {
    const r = await t.http.get('/readyz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { status: 'ready' });
  });

  test('/readyz is 503 while a migration is pending', async () => {
    const [last] = await t.dataSource.query('SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1');
    await t.dataSource.query('DELETE FROM migrations WHERE id = ?', [last.id]);
    try {
      const r = await t.http.get('/readyz');
      assert.equal(r.status, 503);
      assert.deepEqual(r.body, { status: 'migrations pending' });
    } finally {
      await t.dataSource.query('INSERT INTO migrations (id, timestamp, name) VALUES (?, ?, ?)', [last.id, last.timestamp, last.name]);
    }
  });

  test('/metrics exposes Prometheus text with request and webhook counters', async () => {
    await t.http.get('/healthz');
    const r = await t.http.get('/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'] ?? '', /text\/plain/);
    assert.match(r.text, /moneygraph_http_requests_total\{route="\/healthz",status="200"\} \d+/);
    assert.match(r.text, /process_cpu_seconds_total/);
  });

  test('every response carries a request id; a sane given one is kept', async () => {
    const r = await t.http.get('/healthz').set('X-Request-Id', 'support-ticket-42');
    assert.equal(r.headers['x-request-id'], 'support-ticket-42');
    const bad = await t.http.get('/healthz').set('X-Request-Id', 'not ok; drop table');
    assert.match(bad.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
  });
});

describe('the IDE', () => {
  test("a browser asking GET /graphql gets GraphiQL, served from the project's own packages", async () => {
    const r = await t.http.get('/graphql').set('Accept', 'text/html');
    assert.equal(r.status, 200);
    assert.match(r.text, /<script src="\/graphiql\/yoga-graphiql\.umd\.js"><\/script>/);
    assert.doesNotMatch(r.text, /https?:\/\//, 'no external URL');
    const js = await t.http.get('/graphiql/yoga-graphiql.umd.js');
    assert.equal(js.status, 200);
    assert.ok(js.body.length > 1_000_000 || js.text.length > 1_000_000);
    assert.equal((await t.http.get('/graphiql/graphiql.css')).status, 200);
    assert.equal((await t.http.get('/graphiql/monacoeditorwork/editor.worker.bundle.js')).status, 200);
  });
});
