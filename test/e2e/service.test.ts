import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IDE_EXAMPLE_QUERY } from '../../src/graphql/ide';
import { createTestApp, DEMO_KEYS, stopTestServer, TestApp } from '../support/test-app';

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

  test('the IDE opens on the example query (Yoga reads `query`), and that query runs as it stands', async () => {
    const r = await t.http.get('/graphql').set('Accept', 'text/html');
    const options = /renderYogaGraphiQL\([^,]+, (\{[\s\S]*?\})\);/.exec(r.text);
    assert.ok(options, 'the page renders GraphiQL with options');
    assert.doesNotMatch(options[1]!, /defaultQuery/);
    const query = /query: ("(?:[^"\\]|\\.)*"),/.exec(options[1]!);
    assert.ok(query, 'the options name a query');
    const opened = JSON.parse(query[1]!.replace(/\\u003c/g, '<')) as string;
    assert.equal(opened, IDE_EXAMPLE_QUERY);
    const run = await t.http.post('/graphql').set('Authorization', `Bearer ${DEMO_KEYS.SUPPORT}`).send({ query: opened });
    assert.equal(run.status, 200);
    assert.equal(run.body.errors, undefined, JSON.stringify(run.body.errors));
    assert.ok(Array.isArray(run.body.data.orders.nodes));
  });

  test('a browser following a link GET /graphql?query=… gets the IDE (which reads the query from the address), not 401 JSON', async () => {
    const q = encodeURIComponent('{ orders(first: 1) { nodes { id } } }');
    const r = await t.http.get(`/graphql?query=${q}`).set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'] ?? '', /text\/html/);
    assert.match(r.text, /renderYogaGraphiQL/);
  });

  test('a GET /graphql?query=… from a client keeps answering GraphQL over HTTP: UNAUTHENTICATED without a credential, data with one', async () => {
    const q = encodeURIComponent('{ orders(first: 1) { nodes { id } } }');
    const anonymous = await t.http.get(`/graphql?query=${q}`).set('Accept', 'application/graphql-response+json');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED');
    // Under application/json (what a gateway asks for) the refusal is a 200 GraphQL response with the same code.
    const legacy = await t.http.get(`/graphql?query=${q}`).set('Accept', 'application/json');
    assert.equal(legacy.status, 200);
    assert.equal(legacy.body.errors[0].extensions.code, 'UNAUTHENTICATED');
    const withKey = await t.http.get(`/graphql?query=${q}`).set('Accept', 'application/json').set('Authorization', `Bearer ${DEMO_KEYS.SUPPORT}`);
    assert.equal(withKey.status, 200);
    assert.ok(Array.isArray(withKey.body.data.orders.nodes));
  });
});
