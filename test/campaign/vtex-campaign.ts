/**
 * The fault campaign through the VTEX OMS adapter (`npm run campaign -- --oms vtex`): the real
 * service as a child process with OMS=vtex, pointed at a VTEX simulator in this process (Orders
 * API, Orders Hook, Feed v3, VTEX Payments), with the in-house PSP and ERP simulators beside it.
 * Same round structure as the in-house campaign (campaign.ts): K concurrent scenarios under faults
 * chosen from fork(seed, round), then heal, settle and check every order (vtex-checker.ts lists the
 * invariants). Faults: crashes and failing statements at the fault points the VTEX path reaches,
 * hook notifications dropped (only the Feed v3 then carries them), duplicated, held until the heal,
 * held and flushed in reverse, unanswered and retried by VTEX; the hook removed for a round (the
 * feed alone delivers); VTEX's API throttled (429 with Retry-After, which must never open the
 * circuit breaker), answering 503, or answering after the client's timeout; the ERP down.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection, Connection } from 'mysql2/promise';
import { createVtexSimulator, startSimulators, type Served, type Simulators, type VtexSimulator } from '../../src/simulators';
import { stringifyWithBigints } from '../../src/shared/json';
import { InhousePspDriver } from './psp-driver';
import { CAMPAIGN_TIMINGS, CampaignOptions, CampaignSummary, EventIndex, figures, lifeStart, orphanClaims, redeliver, SECRETS, setFaults, settle, sortObj } from './campaign';
import { Rng } from './prng';
import { freePort, ServiceProcess, sleep } from './service';
import { checkVtexRound, type VtexAttempt } from './vtex-checker';
import { runVtexScenario, vtexOrderIdOf } from './vtex-workload';
import { Counter, Violation } from './workload';

export type VtexCampaignOptions = Omit<CampaignOptions, 'replicaServerUrls' | 'during'>;

const HOOK_HEADER = 'x-moneygraph-hook-secret';
const HOOK_SECRET = 'campaign-vtex-hook-secret-0123456789';
/** The fault points a VTEX order's path reaches (refund.intent and refund.psp-answered never: moneygraph issues no refund). */
const VTEX_POINTS = [
  ['refund.outcome', true],
  ['webhook.stored', false],
  ['webhook.apply', true],
  ['outbox.claim', true],
  ['outbox.handled', false],
] as const;

interface VtexRoundPlan {
  lives: string[];
  /** Requests VTEX allows per 1 s window (0: no throttling). */
  throttle: number;
  failNext: number;
  hangNext: number;
  hook: { drop: number; duplicate: boolean; late: boolean; reorderAfter: number | null; removed: boolean };
  erpDown: boolean;
}

function faultPointSpec(rng: Rng): string {
  const rules: string[] = [];
  for (let i = rng.int(1, 2); i > 0; i--) {
    const [point, inTx] = rng.pick(VTEX_POINTS);
    rules.push(`${point}=${inTx && rng.chance(0.45) ? 'dberror' : 'crash'}#${rng.int(1, 6)}`);
  }
  return rules.join(',');
}

function planVtexRound(rng: Rng): VtexRoundPlan {
  const lives: string[] = [];
  if (rng.chance(0.55)) {
    lives.push(faultPointSpec(rng));
    if (rng.chance(0.35)) lives.push(faultPointSpec(rng));
  }
  const late = rng.chance(0.15);
  return {
    lives,
    throttle: rng.chance(0.3) ? rng.int(3, 10) : 0,
    failNext: rng.chance(0.25) ? rng.int(1, 6) : 0,
    hangNext: rng.chance(0.2) ? rng.int(1, 3) : 0,
    hook: {
      drop: rng.chance(0.25) ? rng.int(1, 4) : 0,
      duplicate: rng.chance(0.15),
      late,
      reorderAfter: !late && rng.chance(0.25) ? rng.int(200, 1500) : null,
      removed: rng.chance(0.08),
    },
    erpDown: rng.chance(0.15),
  };
}

export async function runVtexCampaign(o: VtexCampaignOptions): Promise<CampaignSummary> {
  const started = Date.now();
  const log = o.log ?? ((l: string) => console.log(l));
  const settleMs = o.settleMs ?? 30_000;
  mkdirSync(o.outDir, { recursive: true });
  const serviceLog = path.join(o.outDir, 'service.log');

  const server = new URL(o.serverUrl);
  const admin = { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username || 'root'), password: decodeURIComponent(server.password) };
  const dbName = `campaign_vtex_${o.seed}_${randomBytes(3).toString('hex')}`;
  const c0 = await createConnection(admin);
  await c0.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c0.end();
  const dbUrl = new URL(o.serverUrl);
  dbUrl.pathname = `/${dbName}`;

  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const sims = await startSimulators({ serviceUrl, secrets: SECRETS });
  // A feed item read by a life that then died shows again after 3 s (VTEX: its visibility timeout).
  const vtex = createVtexSimulator({ feedVisibilityMs: 3_000 });
  const vtexServed: Served = await vtex.start();
  vtex.hook.configure({ url: `${serviceUrl}/webhooks/oms/vtex`, headers: { [HOOK_HEADER]: HOOK_SECRET } });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl.toString(),
    LOG_LEVEL: 'warn',
    WEBHOOK_SECRET_OMS: SECRETS.OMS,
    WEBHOOK_SECRET_PSP: SECRETS.PSP,
    WEBHOOK_SECRET_ERP: SECRETS.ERP,
    OMS: 'vtex',
    OMS_VTEX_ACCOUNT: vtex.account,
    OMS_VTEX_APP_KEY: vtex.appKey,
    OMS_VTEX_APP_TOKEN: vtex.appToken,
    OMS_VTEX_API_URL: vtexServed.url,
    OMS_VTEX_PAYMENTS_URL: vtexServed.url,
    OMS_VTEX_HOOK_HEADER: HOOK_HEADER,
    OMS_VTEX_HOOK_SECRET: HOOK_SECRET,
    OMS_VTEX_FEED_POLL_MS: '1000',
    // A throttled read waits up to 2.5 s for VTEX's Retry-After (1 s windows here), then waits as an event.
    OMS_VTEX_MAX_THROTTLE_WAIT_MS: '2500',
    PSP_BASE_URL: sims.urls.psp,
    ERP_BASE_URL: sims.urls.erp,
    // The rest as the in-house campaign has them (campaign.ts explains each).
    ...CAMPAIGN_TIMINGS,
  };
  const service = new ServiceProcess(port, env, serviceLog);
  const db: Connection = await createConnection({ ...admin, database: dbName, timezone: 'Z' });

  const ops = new Counter();
  const faults = new Counter();
  const violations: Violation[] = [];
  const roundsWithViolations: number[] = [];
  const rounds = o.round !== undefined ? [o.round] : Array.from({ length: o.rounds }, (_, i) => i);
  const root = new Rng(o.seed);
  const events = new EventIndex(sims);
  // The in-house PSP holds the payments of VTEX orders; its events are re-delivered with the others.
  const inhousePsp = new InhousePspDriver(sims, SECRETS.PSP);
  const cursors = new Map<string, { deliveries: number }>();
  let scenarios = 0;
  const replayOf = (round: number) => `npm run campaign -- --oms vtex --seed ${o.seed} --round ${round} --concurrency ${o.concurrency}`;
  const record = (round: number, found: Violation[]) => {
    for (const oid of new Set(found.map((x) => x.orderId))) writeVtexEvidence(o.outDir, vtex, sims, oid);
    for (const x of found) violations.push({ ...x, replay: replayOf(round) });
    if (found.length && !roundsWithViolations.includes(round)) roundsWithViolations.push(round);
  };
  const summary = (): CampaignSummary => {
    const byInv: Record<string, number> = {};
    for (const x of violations) byInv[x.invariant] = (byInv[x.invariant] ?? 0) + 1;
    return {
      seed: o.seed,
      psp: 'inhouse',
      pspRefundsByStatus: sortObj(inhousePsp.refundsByStatus()),
      rounds,
      concurrency: o.concurrency,
      scenarios,
      operations: ops.total,
      operationsByKind: sortObj(ops.counts),
      faults: faults.total,
      faultsByKind: sortObj(faults.counts),
      crashes: service.crashes,
      restarts: service.lives.length - 1,
      serviceLives: service.lives.length,
      unexpectedExits: service.unexpectedExits,
      violations,
      violationsByInvariant: byInv,
      roundsWithViolations,
      durationMs: Date.now() - started,
      outDir: o.outDir,
      serviceLog,
    };
  };

  try {
    await service.start('');
    for (const round of rounds) {
      const t0 = Date.now();
      const rng = root.fork(`round:${round}`);
      const plan = planVtexRound(rng);
      const orderIds = Array.from({ length: o.concurrency }, (_, i) => vtexOrderIdOf(o.seed, round * o.concurrency + i));
      const attempts = new Map<string, VtexAttempt[]>();

      if (plan.lives.length || service.life?.faultPoints) await service.restart(plan.lives[0] ?? '', plan.lives.slice(1));
      for (const spec of plan.lives) for (const rule of spec.split(',')) faults.add(`faultPoint ${rule.replace(/#\d+$/, '')}`);
      const lifeAtStart = service.lives.length;
      const calls429 = vtex.calls.filter((c) => c.status === 429).length;
      await applyVtexFaults(vtex, sims, plan, faults);

      // VTEX retries a notification it got no 200 for; the in-round loop stands for that.
      let working = true;
      const retrier = (async () => {
        while (working) {
          await sleep(1_000);
          if (working && !vtex.hook.hold) await vtex.hook.retry();
        }
      })();
      const reorder =
        plan.hook.reorderAfter !== null
          ? sleep(plan.hook.reorderAfter).then(async () => {
              await vtex.hook.flush();
              vtex.hook.faults.reverse = false;
              vtex.hook.hold = false;
            })
          : Promise.resolve();
      const wenv = { seed: o.seed, round, service, sims, vtex, ops, attempts };
      const results = await Promise.allSettled(orderIds.map((_, i) => runVtexScenario(wenv, rng.fork(`scenario:${i}`), round * o.concurrency + i)));
      await reorder;
      scenarios += orderIds.length;
      results.forEach((r, i) => {
        if (r.status === 'rejected')
          violations.push({
            seed: o.seed,
            round,
            orderId: orderIds[i]!,
            invariant: 'workload',
            detail: `the scenario could not run: ${String((r.reason as Error)?.stack ?? r.reason).slice(0, 500)}`,
            replay: replayOf(round),
          });
      });
      faults.add('vtex.429 answered', vtex.calls.filter((c) => c.status === 429).length - calls429);

      // A 429 is a known outcome: in a round whose only VTEX fault is throttling, the breaker never opened (read in the same life).
      if (plan.throttle && !plan.failNext && !plan.hangNext) {
        const sameLife = service.lives.length === lifeAtStart && service.alive;
        ops.add(sameLife ? 'check.breaker after throttling only' : 'check.breaker skipped (the service life changed)');
        const breaker = sameLife ? await omsBreakerTrips(service.url) : null;
        if (breaker)
          record(round, [
            { seed: o.seed, round, orderId: '(round)', invariant: 'vii.throttle-never-opens-breaker', detail: `VTEX only throttled (429) this round, yet ${breaker}` },
          ]);
      }
      const tHeal = Date.now();
      working = false;
      await retrier;

      // ---------------------------------------------------------------- heal
      await healVtexFaults(vtex, sims);
      if (service.life?.faultPoints || !service.alive) await service.restart('');
      else await service.ensureUp();
      await vtex.hook.flush();
      await vtex.hook.retry();
      await sims.flush();
      await redeliver(sims, inhousePsp, events.update(), service.url, db, cursors);
      await settleVtex(db, sims, vtex, orderIds, settleMs, service);
      const lastOp = Date.now();
      await sleep(2_500 - Math.min(2_500, Date.now() - lastOp));

      const tCheck = Date.now();
      const found = await checkVtexRound({ seed: o.seed, round, serviceUrl: service.url, sims, vtex, db, orderIds, attempts });
      record(round, found);
      if (o.verbose) {
        log(
          `round ${round}: workload ${((tHeal - t0) / 1000).toFixed(1)} s, heal+settle ${((tCheck - tHeal) / 1000).toFixed(1)} s; lives ${plan.lives.join(' | ') || '-'}; crashes so far ${service.crashes}; violations ${found.length}`,
        );
      }
      if (o.reportEvery && (rounds.indexOf(round) + 1) % o.reportEvery === 0) log(figures(summary()));
      if (o.stopOnViolation && roundsWithViolations.length) break;
    }
  } finally {
    await service.close().catch(() => undefined);
    await sims.close().catch(() => undefined);
    await vtexServed.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    if (!roundsWithViolations.length) {
      const c = await createConnection(admin);
      await c.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await c.end();
    }
  }
  const s = summary();
  writeFileSync(path.join(o.outDir, 'summary.json'), JSON.stringify(s, null, 2));
  return s;
}

async function applyVtexFaults(vtex: VtexSimulator, sims: Simulators, p: VtexRoundPlan, faults: Counter): Promise<void> {
  const add = (on: unknown, kind: string) => on && faults.add(kind);
  vtex.faults.throttleLimit = p.throttle;
  vtex.faults.throttleWindowMs = 1_000;
  vtex.faults.failNext = p.failNext;
  vtex.faults.hangNext = p.hangNext;
  vtex.faults.hangMs = 1_500;
  vtex.hook.faults.dropNext = p.hook.removed ? 1_000_000 : p.hook.drop;
  vtex.hook.faults.duplicate = p.hook.duplicate;
  vtex.hook.faults.reverse = p.hook.reorderAfter !== null;
  vtex.hook.hold = p.hook.late || p.hook.reorderAfter !== null;
  add(p.throttle, 'vtex.throttled (429 with Retry-After)');
  add(p.failNext, 'vtex.failNext 503');
  add(p.hangNext, 'vtex.hangNext (answered after the timeout)');
  add(p.hook.drop && !p.hook.removed, 'vtex.hook dropNext (the feed alone delivers)');
  add(p.hook.removed, 'vtex.hook removed for the round (the feed alone delivers)');
  add(p.hook.duplicate, 'vtex.hook duplicate');
  add(p.hook.late, 'vtex.hook late (held until heal)');
  add(p.hook.reorderAfter !== null, 'vtex.hook reorder (held, flushed in reverse)');
  add(p.erpDown, 'erp.down (failNext until healed)');
  await setFaults(sims.urls.erp, { failNext: p.erpDown ? 1_000_000 : 0 });
}

async function healVtexFaults(vtex: VtexSimulator, sims: Simulators): Promise<void> {
  Object.assign(vtex.faults, { throttleLimit: 0, failNext: 0, hangNext: 0 });
  Object.assign(vtex.hook.faults, { dropNext: 0, duplicate: false, reverse: false });
  vtex.hook.hold = false;
  await setFaults(sims.urls.erp, { failNext: 0 });
}

/** The service's own workers settle the round's orders (campaign.ts's settle), and the Feed v3 and VTEX's retries have nothing left for them. */
async function settleVtex(db: Connection, sims: Simulators, vtex: VtexSimulator, orderIds: string[], settleMs: number, service: ServiceProcess): Promise<void> {
  const deadline = Date.now() + settleMs;
  for (;;) {
    await settle(db, sims, new InhousePspDriver(sims, SECRETS.PSP), orderIds, Math.max(1_000, deadline - Date.now()), lifeStart(service));
    // An outbox claim of a dead life frees itself after OUTBOX_CLAIM_MS (3 s): wait for it, then settle again.
    const held = await orphanClaims(db, orderIds, lifeStart(service));
    const feedLeft = orderIds.some((id) => vtex.hook.feedOf(id).length > 0);
    if ((!held.size && !feedLeft && !vtex.hook.unanswered) || Date.now() > deadline) return;
    await vtex.hook.retry();
    await sleep(1_000);
  }
}

/** Why the VTEX circuit breakers are not as a throttled-only round must leave them (null: closed, never refused a call). */
async function omsBreakerTrips(serviceUrl: string): Promise<string | null> {
  const text = await fetch(`${serviceUrl}/metrics`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.text());
  return breakerTripsIn(text);
}

/** From the service's /metrics: the VTEX (oms, oms_payments) circuits open or half open, and calls an open circuit refused. */
export function breakerTripsIn(metricsText: string): string | null {
  const bad: string[] = [];
  let seen = 0;
  for (const line of metricsText.split('\n')) {
    const m = /^moneygraph_upstream_circuit_state\{system="(oms|oms_payments)",state="([a-z_]+)"\} (\d+)$/.exec(line);
    if (m) seen++;
    if (m && m[2] !== 'closed' && m[3] === '1') bad.push(`the ${m[1]} circuit is ${m[2]}`);
    const r = /^moneygraph_upstream_request_duration_seconds_count\{system="(oms|oms_payments)",method="[A-Z]+",outcome="circuit_open"\} (\d+)$/.exec(line);
    if (r && Number(r[2]) > 0) bad.push(`${r[2]} ${r[1]} call(s) were refused by an open circuit`);
  }
  // Without the gauges the check could not fail: say so rather than pass.
  if (!seen) return 'the service reports no circuit state for oms / oms_payments in /metrics';
  return bad.length ? bad.join('; ') : null;
}

function writeVtexEvidence(outDir: string, vtex: VtexSimulator, sims: Simulators, orderId: string): void {
  const dir = path.join(outDir, 'orders');
  mkdirSync(dir, { recursive: true });
  const evidence = {
    orderId,
    vtex: {
      order: vtex.orders.get(orderId) ?? null,
      refunds: vtex.refundsOf(orderId).map((r) => ({ ...r, answers: vtex.invoiceOfRefund(r.id) })),
      hookDeliveries: vtex.hook.deliveries.filter((d) => d.orderId === orderId),
      dropped: vtex.hook.dropped.filter((n) => n.OrderId === orderId),
      feedLeft: vtex.hook.feedOf(orderId),
    },
    psp: { refunds: [...sims.psp.state.refunds.values()].filter((r) => r.orderId === orderId) },
    erp: { postings: [...sims.erp.state.postings.values()].filter((p) => p.orderId === orderId) },
  };
  writeFileSync(path.join(dir, `${orderId.replace(/[^\w.-]/g, '_')}.json`), stringifyWithBigints(evidence, 2));
}
