/**
 * `node dist/src/main.js` with OTEL_EXPORTER_OTLP_ENDPOINT set, as an operator turns tracing on:
 * the spans go over OTLP (http/protobuf, the default) to the endpoint; the spans still buffered
 * are exported by the clean shutdown (SIGTERM), before the process exits 0; the log lines carry
 * the trace id found in the export, and a refund's span its refund id and merchantTransactionId.
 * The collector here is a plain HTTP server that keeps what it is sent.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startSimulators, Simulators } from '../../src/simulators';
import { paidOrder, returnInvoice } from '../support/drive';
import { key, REFUND_INVOICE } from '../support/refunds';
import { createTestDatabase, stopTestServer, TestDatabase } from '../support/test-app';

const MAIN_JS = path.resolve(__dirname, '..', '..', 'src', 'main.js');
const SECRETS = { OMS: 'prod-oms-secret-0123456789', PSP: 'prod-psp-secret-0123456789', ERP: 'prod-erp-secret-0123456789' };
const KEY = 'tracing-admin-key-0123456789';

interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

let db: TestDatabase;
let sims: Simulators;
let collector: http.Server;
let collectorUrl: string;
const received: Received[] = [];

before(async () => {
  db = await createTestDatabase();
  sims = await startSimulators({ secrets: SECRETS });
  collector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: String(req.headers['content-type']), body: Buffer.concat(chunks) });
      res.writeHead(200, { 'Content-Type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', () => r()));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((r) => collector?.close(r));
  await sims?.close();
  await db?.drop();
  await stopTestServer();
});

interface Child {
  proc: ChildProcess;
  url: string;
  logs: { msg: string; [k: string]: unknown }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startChild(extra: Record<string, string>): Promise<Child> {
  const proc = spawn(process.execPath, [MAIN_JS], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      MIGRATE_ON_START: 'true',
      PORT: '0',
      LOG_LEVEL: 'info',
      API_KEYS: `${KEY}=ADMIN:ops`,
      WEBHOOK_SECRET_OMS: SECRETS.OMS,
      WEBHOOK_SECRET_PSP: SECRETS.PSP,
      WEBHOOK_SECRET_ERP: SECRETS.ERP,
      OMS_BASE_URL: sims.urls.oms,
      PSP_BASE_URL: sims.urls.psp,
      ERP_BASE_URL: sims.urls.erp,
      AUTO_REFUND_INPUT_INVOICES: 'false',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Child['logs'] = [];
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout!.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const entry = JSON.parse(line);
          logs.push(entry);
          if (entry.msg === 'moneygraph listening') resolve(String(entry.url).replace(/\/graphql$/, ''));
        } catch {
          /* not a log line */
        }
      }
    });
    void exited.then(({ code }) => reject(new Error(`the service exited (${code}) before listening: ${stderr}`)));
  });
  return { proc, url, logs, exited };
}

const has = (body: Buffer, s: string | Buffer) => body.includes(typeof s === 'string' ? Buffer.from(s) : s);

test('OTEL_EXPORTER_OTLP_ENDPOINT: a refund is exported over OTLP, the buffered spans on SIGTERM, and the log lines carry the trace id', async () => {
  // Exports only at shutdown: whatever arrives was flushed by the clean shutdown.
  const c = await startChild({
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
    OTEL_BSP_SCHEDULE_DELAY: '600000',
    OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100000',
    OTEL_BSP_MAX_QUEUE_SIZE: '100000',
  });
  sims.setServiceUrl(c.url);
  const tracingLine = c.logs.find((l) => l.msg === 'tracing on: spans are exported');
  assert.ok(tracingLine, 'the start-up says tracing is on');
  assert.equal(tracingLine.serviceName, 'moneygraph');
  assert.match(String(tracingLine.reason), /OTEL_EXPORTER_OTLP_ENDPOINT/);

  const o = await paidOrder(sims, { total: '10000' });
  const inv = await returnInvoice(sims, o.orderId, '2500');
  const res = await fetch(`${c.url}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query: REFUND_INVOICE, variables: { input: { orderId: o.orderId, invoiceId: inv, reason: 'RETURN', idempotencyKey: key() } } }),
  });
  const body = (await res.json()) as any;
  assert.equal(res.status, 200);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  const refund = body.data.refundInvoice.refund;
  assert.equal(refund.status, 'SUCCEEDED');
  // The request line is written as the answer finishes: it may reach stdout just after the answer.
  const isRequestLine = (l: Child['logs'][number]) => l.msg === 'request' && l.path === '/graphql' && l.operation === 'mutation refundInvoice';
  for (let i = 0; i < 100 && !c.logs.some(isRequestLine); i++) await new Promise((r) => setTimeout(r, 20));
  const requestLine = c.logs.find(isRequestLine);
  assert.ok(requestLine, `the request log line: ${JSON.stringify(c.logs.filter((l) => l.msg === 'request'))}`);
  const traceId = String(requestLine.trace_id);
  assert.match(traceId, /^[0-9a-f]{32}$/, 'the request log line carries a trace id');
  assert.match(String(requestLine.span_id), /^[0-9a-f]{16}$/);
  assert.equal(received.length, 0, 'nothing exported before the shutdown');

  c.proc.kill('SIGTERM');
  assert.deepEqual(await c.exited, { code: 0, signal: null });
  assert.ok(c.logs.some((l) => l.msg === 'shutdown: done'));
  const traces = received.filter((e) => e.path === '/v1/traces');
  assert.ok(traces.length >= 1, `the shutdown exported the spans: ${received.map((e) => e.path).join(', ')}`);
  for (const e of traces) assert.equal(e.contentType, 'application/x-protobuf');
  const all = Buffer.concat(traces.map((e) => e.body));
  assert.ok(has(all, Buffer.from(traceId, 'hex')), "the log line's trace id is a trace in the export");
  assert.ok(has(all, 'moneygraph'), 'service.name');
  for (const s of [
    'POST /graphql',
    'mutation',
    'refund.psp-call',
    'moneygraph.refund.id',
    refund.id,
    'moneygraph.refund.merchant_transaction_id',
    refund.merchantTransactionId,
    `${sims.urls.psp}/refunds`,
  ]) {
    assert.ok(has(all, s), `the export holds ${s}`);
  }
  assert.ok(!received.some((e) => e.path !== '/v1/traces'), 'traces only: no OTLP metrics or logs');
});
