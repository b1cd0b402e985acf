/**
 * SIGTERM/SIGINT on a real process in production mode (`node dist/src/main.js`): readiness turns
 * 503 first while the listener still serves (SHUTDOWN_DELAY_MS), so traffic routed by readiness
 * stops before the listener closes; a request in flight finishes with its answer; no request fails;
 * the workers and the pool stop, the process exits 0 and logs each step.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startSimulators, Simulators } from '../../src/simulators';
import { createTestDatabase, stopTestServer, TestDatabase } from '../support/test-app';

const MAIN_JS = path.resolve(__dirname, '..', '..', 'src', 'main.js');
const SECRETS = { OMS: 'prod-oms-secret-0123456789', PSP: 'prod-psp-secret-0123456789', ERP: 'prod-erp-secret-0123456789' };
const KEY = 'shutdown-admin-key-0123456789';

let db: TestDatabase;
let sims: Simulators;
before(async () => {
  db = await createTestDatabase();
  sims = await startSimulators({ secrets: SECRETS });
});
after(async () => {
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

async function startChild(extra: Record<string, string> = {}): Promise<Child> {
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
      UPSTREAM_TIMEOUT_MS: '10000',
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

const gql = (url: string, query: string, variables?: unknown) =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    // One connection per request: a request refused after the listener closed is a refused connection, never a cut one.
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEY}`, Connection: 'close' },
    body: JSON.stringify({ query, variables }),
  });

test('SIGTERM under traffic: readiness 503 first, in-flight requests answered, nothing cut, exit 0, each step logged', async () => {
  const c = await startChild({ SHUTDOWN_DELAY_MS: '600' });
  assert.equal((await fetch(`${c.url}/readyz`)).status, 200);
  // A request that is still running when the signal comes: the OMS answers it 1.5 s late.
  await fetch(`${sims.urls.oms}/_faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ timeoutNext: 1, hangMs: 1500 }) });
  const slow = gql(c.url, 'mutation { syncOrder(input: { orderId: "ord-shutdown-1" }) { userErrors { code } } }');
  // Steady traffic, routed the way a load balancer routes: while /readyz answers 200 (polled every 100 ms).
  let routing = true;
  const checker = (async () => {
    while (routing) {
      await new Promise((r) => setTimeout(r, 100));
      const r = await fetch(`${c.url}/readyz`, { headers: { Connection: 'close' } }).catch(() => null);
      if (r?.status !== 200) routing = false;
    }
  })();
  const outcomes = { ok: 0, cut: [] as string[] };
  const client = async () => {
    while (routing) {
      try {
        const r = await gql(c.url, '{ orders(first: 5) { nodes { id } } }');
        const body = (await r.json()) as { data?: unknown };
        if (r.status === 200 && body.data) outcomes.ok++;
        else outcomes.cut.push(`status ${r.status}`);
      } catch (err) {
        outcomes.cut.push(String((err as { cause?: { code?: string } }).cause?.code ?? err));
      }
    }
  };
  const clients = Array.from({ length: 4 }, client);
  await new Promise((r) => setTimeout(r, 300));
  c.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 100));
  const ready = await fetch(`${c.url}/readyz`, { headers: { Connection: 'close' } });
  assert.equal(ready.status, 503, 'readiness answers 503 during the shutdown delay');
  assert.deepEqual(await ready.json(), { status: 'shutting down' });
  await checker;

  const slowAnswer = await slow;
  assert.equal(slowAnswer.status, 200);
  assert.deepEqual(((await slowAnswer.json()) as any).data.syncOrder.userErrors, [{ code: 'ORDER_NOT_FOUND' }]);
  await Promise.all(clients);
  const exit = await c.exited;
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.deepEqual(outcomes.cut, [], `no request was cut: ${outcomes.cut.join(', ')}`);
  assert.ok(outcomes.ok > 0, 'traffic was served');
  // After the listener closed, a connection is refused.
  await assert.rejects(fetch(`${c.url}/healthz`), (e: unknown) => (e as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED');
  const steps = c.logs.map((l) => l.msg).filter((m) => m.startsWith('shutdown:'));
  assert.deepEqual(steps, [
    'shutdown: readiness answers 503',
    'shutdown: listener closed; waiting for in-flight requests and worker rounds',
    'shutdown: requests finished, workers stopped, database pool closed',
    'shutdown: done',
  ]);
});

test('SIGINT on an idle service: exit 0', async () => {
  const c = await startChild();
  c.proc.kill('SIGINT');
  assert.deepEqual(await c.exited, { code: 0, signal: null });
  assert.ok(c.logs.some((l) => l.msg === 'shutdown: done'));
});
