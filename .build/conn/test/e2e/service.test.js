"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const test_app_1 = require("../support/test-app");
let t;
(0, node_test_1.before)(async () => { t = await (0, test_app_1.createTestApp)(); });
(0, node_test_1.after)(async () => { await t?.close(); await (0, test_app_1.stopTestServer)(); });
(0, node_test_1.describe)('health, readiness, metrics', () => {
    (0, node_test_1.test)('/healthz answers without credentials', async () => {
        const r = await t.http.get('/healthz');
        strict_1.default.equal(r.status, 200);
        strict_1.default.deepEqual(r.body, { status: 'ok' });
    });
    (0, node_test_1.test)('/readyz is ready when the database answers and every migration is applied', async () => {
        const r = await t.http.get('/readyz');
        strict_1.default.equal(r.status, 200);
        strict_1.default.deepEqual(r.body, { status: 'ready' });
    });
    (0, node_test_1.test)('/readyz is 503 while a migration is pending', async () => {
        const [last] = await t.dataSource.query('SELECT id, timestamp, name FROM migrations ORDER BY id DESC LIMIT 1');
        await t.dataSource.query('DELETE FROM migrations WHERE id = ?', [last.id]);
        try {
            const r = await t.http.get('/readyz');
            strict_1.default.equal(r.status, 503);
            strict_1.default.deepEqual(r.body, { status: 'migrations pending' });
        }
        finally {
            await t.dataSource.query('INSERT INTO migrations (id, timestamp, name) VALUES (?, ?, ?)', [last.id, last.timestamp, last.name]);
        }
    });
    (0, node_test_1.test)('/metrics exposes Prometheus text with request and webhook counters', async () => {
        await t.http.get('/healthz');
        const r = await t.http.get('/metrics');
        strict_1.default.equal(r.status, 200);
        strict_1.default.match(r.headers['content-type'], /text\/plain/);
        strict_1.default.match(r.text, /moneygraph_http_requests_total\{route="\/healthz",status="200"\} \d+/);
        strict_1.default.match(r.text, /process_cpu_seconds_total/);
    });
    (0, node_test_1.test)('every response carries a request id; a sane given one is kept', async () => {
        const r = await t.http.get('/healthz').set('X-Request-Id', 'support-ticket-42');
        strict_1.default.equal(r.headers['x-request-id'], 'support-ticket-42');
        const bad = await t.http.get('/healthz').set('X-Request-Id', 'not ok; drop table');
        strict_1.default.match(bad.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    });
});
(0, node_test_1.describe)('the IDE', () => {
    (0, node_test_1.test)('a browser asking GET /graphql gets GraphiQL, served from the project\'s own packages', async () => {
        const r = await t.http.get('/graphql').set('Accept', 'text/html');
        strict_1.default.equal(r.status, 200);
        strict_1.default.match(r.text, /<script src="\/graphiql\/yoga-graphiql\.umd\.js"><\/script>/);
        strict_1.default.doesNotMatch(r.text, /https?:\/\//, 'no external URL');
        const js = await t.http.get('/graphiql/yoga-graphiql.umd.js');
        strict_1.default.equal(js.status, 200);
        strict_1.default.ok(js.body.length > 1_000_000 || js.text.length > 1_000_000);
        strict_1.default.equal((await t.http.get('/graphiql/graphiql.css')).status, 200);
        strict_1.default.equal((await t.http.get('/graphiql/monacoeditorwork/editor.worker.bundle.js')).status, 200);
    });
});
//# sourceMappingURL=service.test.js.map