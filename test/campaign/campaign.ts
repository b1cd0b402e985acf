/**
 * A seeded randomized fault campaign (after TigerBeetle's VOPR and Jepsen's bank test), black box:
 * the real service as a child process, a real MariaDB, the three simulators in this process (so
 * they outlive every crash of the service). Rounds of K concurrent scenarios (one order each) run
 * under faults chosen from the seed; then the round heals, settles, and every order is checked.
 *
 * Reproducible from the seed: round K's scenarios, faults and service lives come from
 * fork(seed, K), so `--seed S --round K` replays round K alone (same order ids, same choices; the
 * interleaving of concurrent requests is the machine's).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection, Connection } from 'mysql2/promise';
import { startSimulators, Simulators, type Delivery } from '../../src/simulators';
import { FAULT_POINTS } from '../../src/config';
import { stringifyWithBigints } from '../../src/shared/json';
import { gql, gqlRead, orderIdOfEvent, sendSignedWebhook, simCall } from './clients';
import { checkRound } from './checker';
import { Rng } from './prng';
import { InhousePspDriver, type PspDriver, type PspKind } from './psp-driver';
import { StripePspDriver } from './stripe-driver';
import { ReplicaSet } from './replicas';
import { freePort, ServiceProcess, sleep } from './service';
import { Counter, orderIdOf, RECOVER, runScenario, ScenarioKind, SYNC_ORDER, Violation, WorkloadEnv } from './workload';

export interface CampaignOptions {
  seed: number;
  /** The PSP every scenario's payment is taken and refunded through (default the in-house PSP). */
  psp?: PspKind;
  rounds: number;
  concurrency: number;
  /** Only this round (a replay). */
  round?: number;
  /** A MariaDB server URL (mariadb://user:pass@host:port); the campaign creates its own database in it. */
  serverUrl: string;
  outDir: string;
  /** Upper bound of the wait for the service's own workers after healing. */
  settleMs?: number;
  log?: (line: string) => void;
  /** Print figures every N rounds. */
  reportEvery?: number;
  /** One line per round (phases' durations, violations so far). */
  verbose?: boolean;
  /** Stop at the first round with a violation. */
  stopOnViolation?: boolean;
  /**
   * Several replicas of the service behind one balancer, the i-th on this server (nodes of one
   * cluster: the campaign's database, created through `serverUrl`, is on all of them).
   */
  replicaServerUrls?: string[];
  /** Runs beside round K's workload (a node dies, a replica moves); the round heals after both. */
  during?: (round: number, replicas: ReplicaSet, dbName: string) => Promise<void>;
}

export interface CampaignSummary {
  seed: number;
  psp: PspKind;
  rounds: number[];
  concurrency: number;
  scenarios: number;
  operations: number;
  operationsByKind: Record<string, number>;
  faults: number;
  faultsByKind: Record<string, number>;
  /** The PSP's refunds at the end, by status: what the checker took as the truth. */
  pspRefundsByStatus: Record<string, number>;
  crashes: number;
  restarts: number;
  serviceLives: number;
  unexpectedExits: number;
  violations: Violation[];
  violationsByInvariant: Record<string, number>;
  roundsWithViolations: number[];
  durationMs: number;
  outDir: string;
  serviceLog: string;
}

interface RoundPlan {
  psp: { timeoutNext: number; failNext: number };
  oms: { failNext: number };
  erpDown: boolean;
  erpNonIdempotent: boolean;
  /** hold + reverse on a simulator, flushed mid-round after `after` ms (reordering). */
  reorder: { sim: 'oms' | 'psp'; after: number } | null;
  /** hold on a simulator, flushed only when the round heals (late delivery). */
  late: 'oms' | 'psp' | null;
  duplicate: ('oms' | 'psp' | 'erp')[];
  drop: { sim: 'oms' | 'psp' | 'erp'; n: number } | null;
  /** TEST_FAULT_POINTS of the round's first service life, and of the life after a crash. */
  lives: string[];
  kinds: ScenarioKind[];
}

const POINTS = Object.keys(FAULT_POINTS) as (keyof typeof FAULT_POINTS)[];

function faultPointSpec(rng: Rng): string {
  const rules: string[] = [];
  for (let i = rng.int(1, 2); i > 0; i--) {
    const point = rng.pick(POINTS);
    const action = FAULT_POINTS[point].inTransaction && rng.chance(0.45) ? 'dberror' : 'crash';
    rules.push(`${point}=${action}#${rng.int(1, 6)}`);
  }
  return rules.join(',');
}

export function planRound(rng: Rng, concurrency: number): RoundPlan {
  const sims = ['oms', 'psp'] as const;
  const lives: string[] = [];
  if (rng.chance(0.55)) {
    lives.push(faultPointSpec(rng));
    if (rng.chance(0.35)) lives.push(faultPointSpec(rng));
  }
  return {
    psp: { timeoutNext: rng.chance(0.3) ? rng.int(1, 3) : 0, failNext: rng.chance(0.3) ? rng.int(1, 4) : 0 },
    oms: { failNext: rng.chance(0.15) ? rng.int(3, 12) : 0 },
    erpDown: rng.chance(0.2),
    erpNonIdempotent: rng.chance(0.15),
    reorder: rng.chance(0.25) ? { sim: rng.pick(sims), after: rng.int(200, 1500) } : null,
    late: rng.chance(0.15) ? rng.pick(sims) : null,
    duplicate: (['oms', 'psp', 'erp'] as const).filter(() => rng.chance(0.12)),
    drop: rng.chance(0.15) ? { sim: rng.pick(['oms', 'psp', 'erp'] as const), n: rng.int(1, 3) } : null,
    lives,
    kinds: Array.from({ length: concurrency }, () => (rng.chance(0.2) ? 'pspFirst' : 'standard')),
  };
}

export const SECRETS = { OMS: 'campaign-oms-secret-0123456789', PSP: 'campaign-psp-secret-0123456789', ERP: 'campaign-erp-secret-0123456789' };

/** The service's timings in a campaign: its outages, leases and retries last seconds, not hours (also the VTEX campaign's). */
export const CAMPAIGN_TIMINGS: Readonly<Record<string, string>> = {
  UPSTREAM_TIMEOUT_MS: '600',
  UPSTREAM_RETRIES: '1',
  UPSTREAM_BREAKER_HALF_OPEN_MS: '1000',
  // ≥ two worst-case PSP calls (the start-up check): 2 × (600 ms × 2 attempts + 1000 ms of backoff).
  REFUND_LEASE_MS: '5000',
  // A claim a dead life held expires after this (≥ the worst-case handler, 2.2 s here).
  OUTBOX_CLAIM_MS: '3000',
  // Stored but unapplied events (a crash between storing and applying) are the retry worker's after 1.5 s.
  WEBHOOK_RETRY_AFTER_MS: '1500',
  WEBHOOK_RETRY_INTERVAL_MS: '200',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_RETRY_MAX_MS: '2000',
  WEBHOOK_MAX_ATTEMPTS: '40',
  REFUND_RECOVERY_INTERVAL_MS: '500',
  OUTBOX_POLL_INTERVAL_MS: '100',
  OUTBOX_RETRY_BASE_MS: '200',
  OUTBOX_RETRY_MAX_MS: '2000',
  // The campaign's outages last seconds, not hours: enough attempts to outlive one.
  OUTBOX_MAX_ATTEMPTS: '40',
  EXCEPTIONS_REFRESH_INTERVAL_SECONDS: '1',
  EXCEPTIONS_STALE_SECONDS: '1',
  INPUT_INVOICE_REFUND_GRACE_SECONDS: '1',
  ERP_POSTING_GRACE_SECONDS: '1',
  GRAPHQL_LIMITS: JSON.stringify({ ADMIN: { budget: 1e9, restorePerSecond: 1e7, maxCost: 1e6 }, FINANCE: { budget: 1e9, restorePerSecond: 1e7, maxCost: 1e6 } }),
};

export async function runCampaign(o: CampaignOptions): Promise<CampaignSummary> {
  const started = Date.now();
  const log = o.log ?? ((l: string) => console.log(l));
  const settleMs = o.settleMs ?? 30_000;
  mkdirSync(o.outDir, { recursive: true });
  const serviceLog = path.join(o.outDir, o.replicaServerUrls ? 'service-*.log' : 'service.log');

  // Its own database on the given server; the service's first life migrates it.
  const server = new URL(o.serverUrl);
  const admin = { host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username || 'root'), password: decodeURIComponent(server.password) };
  const dbName = `campaign_${o.seed}_${randomBytes(3).toString('hex')}`;
  const c0 = await createConnection(admin);
  await c0.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c0.end();
  const dbUrl = new URL(o.serverUrl);
  dbUrl.pathname = `/${dbName}`;

  const port = await freePort();
  const serviceUrl = `http://127.0.0.1:${port}`;
  const sims = await startSimulators({ serviceUrl, secrets: SECRETS });
  const psp: PspDriver = o.psp === 'stripe' ? await StripePspDriver.start(serviceUrl) : new InhousePspDriver(sims, SECRETS.PSP);
  const pspFlag = psp.kind === 'inhouse' ? '' : ` --psp ${psp.kind}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl.toString(),
    LOG_LEVEL: 'warn',
    WEBHOOK_SECRET_OMS: SECRETS.OMS,
    WEBHOOK_SECRET_PSP: SECRETS.PSP,
    WEBHOOK_SECRET_ERP: SECRETS.ERP,
    OMS_BASE_URL: sims.urls.oms,
    PSP_BASE_URL: sims.urls.psp,
    ERP_BASE_URL: sims.urls.erp,
    ...CAMPAIGN_TIMINGS,
    ...psp.serviceEnv,
  };
  const withDb = (server: string) => Object.assign(new URL(server), { pathname: `/${dbName}` }).toString();
  const replicas = o.replicaServerUrls ? await ReplicaSet.create(port, env, o.replicaServerUrls.map(withDb), o.outDir) : undefined;
  const service = replicas ?? new ServiceProcess(port, env, serviceLog);
  // UTC like the service's own connections, so the times read here compare with the campaign's clock.
  const db: Connection = await createConnection({ ...admin, database: dbName, timezone: 'Z' });

  const ops = new Counter();
  const faults = new Counter();
  const violations: Violation[] = [];
  const roundsWithViolations: number[] = [];
  const rounds = o.round !== undefined ? [o.round] : Array.from({ length: o.rounds }, (_, i) => i);
  const root = new Rng(o.seed);
  let scenarios = 0;
  const cursors = new Map<string, { deliveries: number }>();
  const deferred = new Map<string, { round: number; erpNonIdempotent: boolean }>();
  const events = new EventIndex(sims);
  const checkDeferred = async (ids: string[]) => {
    const byRound = new Map<number, { ids: string[]; erp: boolean }>();
    for (const oid of ids) {
      const d = deferred.get(oid)!;
      const g = byRound.get(d.round) ?? { ids: [], erp: d.erpNonIdempotent };
      g.ids.push(oid);
      byRound.set(d.round, g);
      deferred.delete(oid);
    }
    for (const [round, g] of byRound) record(round, await checkRound({ seed: o.seed, round, serviceUrl: service.url, sims, psp, db, orderIds: g.ids, erpNonIdempotent: g.erp }));
  };
  const record = (round: number, found: Violation[]) => {
    for (const oid of new Set(found.map((x) => x.orderId))) writeEvidence(o.outDir, sims, psp, events, oid);
    const replay = `npm run campaign -- --seed ${o.seed} --round ${round} --concurrency ${o.concurrency}${pspFlag}`;
    for (const x of found) violations.push({ ...x, replay });
    for (const x of violations) x.replay ??= `npm run campaign -- --seed ${o.seed} --round ${x.round} --concurrency ${o.concurrency}${pspFlag}`;
    if (violations.some((x) => x.round === round) && !roundsWithViolations.includes(round)) roundsWithViolations.push(round);
    roundsWithViolations.sort((a, b) => a - b);
  };

  const summary = (): CampaignSummary => {
    const byInv: Record<string, number> = {};
    for (const x of violations) byInv[x.invariant] = (byInv[x.invariant] ?? 0) + 1;
    return {
      seed: o.seed,
      psp: psp.kind,
      rounds,
      concurrency: o.concurrency,
      scenarios,
      operations: ops.total,
      operationsByKind: sortObj(ops.counts),
      faults: faults.total,
      faultsByKind: sortObj(faults.counts),
      pspRefundsByStatus: sortObj(psp.refundsByStatus()),
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
      const plan = planRound(rng, o.concurrency);
      const orderIds = plan.kinds.map((_, i) => orderIdOf(o.seed, round * o.concurrency + i));

      // A service life per round with fault points (hit counts are per life), none otherwise.
      if (plan.lives.length || service.life?.faultPoints) {
        await service.restart(plan.lives[0] ?? '', plan.lives.slice(1));
      }
      for (const spec of plan.lives) for (const rule of spec.split(',')) faults.add(`faultPoint ${rule.replace(/#\d+$/, '')}`);
      await applyFaults(sims, psp, plan, rng, faults);

      const wenv: WorkloadEnv = { seed: o.seed, round, service, sims, psp, ops, violations };
      const flushMidRound = (sim: 'oms' | 'psp') => (sim === 'psp' ? psp.flushEvents() : simCall(sims.urls[sim], 'POST', '/_webhooks/flush'));
      const reorder = plan.reorder ? sleep(plan.reorder.after).then(() => flushMidRound(plan.reorder!.sim).catch(() => undefined)) : Promise.resolve();
      const during = replicas && o.during ? o.during(round, replicas, dbName) : Promise.resolve();
      const results = await Promise.allSettled(plan.kinds.map((kind, i) => runScenario(wenv, rng.fork(`scenario:${i}`), round * o.concurrency + i, kind)));
      await reorder;
      await during;
      scenarios += plan.kinds.length;
      for (const k of plan.kinds) if (k === 'pspFirst') faults.add('eventsBeforeRecords');
      results.forEach((r, i) => {
        // orderIds and results both have one entry per planned scenario.
        if (r.status === 'rejected') {
          violations.push({
            seed: o.seed,
            round,
            orderId: orderIds[i]!,
            invariant: 'workload',
            detail: `the scenario could not run: ${String((r.reason as Error)?.stack ?? r.reason).slice(0, 500)}`,
          });
        }
      });
      const lastOp = Date.now();
      const tHeal = Date.now();

      // ---------------------------------------------------------------- heal
      await healFaults(sims, psp);
      if (service.life?.faultPoints || !service.alive) {
        await service.restart('');
      } else {
        await service.ensureUp();
      }
      await sims.flush();
      await psp.settleAtHeal(rng, (k) => faults.add(k));
      const dropped = await redeliver(sims, psp, events.update(), service.url, db, cursors);
      for (const oid of dropped) {
        if (!orderIds.includes(oid)) continue;
        // The documented repair path for lost webhooks, for the orders that lost one. It answers
        // UPSTREAM_UNAVAILABLE ("try again later") while an upstream's circuit is still open after
        // the round's faults: an operator tries again, and so does the heal (bounded).
        for (let attempt = 0; attempt < 20; attempt++) {
          const r = await gql(service.url, 'ADMIN', SYNC_ORDER, { input: { orderId: oid } }).catch(() => null);
          const codes: string[] = r?.data?.syncOrder?.userErrors?.map((e: { code: string }) => e.code) ?? ['UNREACHABLE'];
          if (!codes.includes('UPSTREAM_UNAVAILABLE') && !codes.includes('UNREACHABLE')) break;
          await sleep(500);
        }
        ops.add('heal.syncOrder (dropped event)');
      }
      await gqlRead(service.url, 'ADMIN', RECOVER, { input: {} });
      ops.add('heal.recoverRefunds');
      await settle(db, sims, psp, orderIds, settleMs, lifeStart(service));
      // The exception classifier's grace (1 s) and staleness (1 s) windows must have passed.
      const wait = 2_500 - (Date.now() - lastOp);
      if (wait > 0) await sleep(wait);

      const tCheck = Date.now();
      // ---------------------------------------------------------------- check
      // An order whose outbox messages a dead life had claimed waits for that claim to expire (the
      // worker's claim lease is at least 60 s, not configurable): it is checked after a later round, or at the end.
      const held = await orphanClaims(db, orderIds, lifeStart(service));
      for (const oid of held.keys()) deferred.set(oid, { round, erpNonIdempotent: plan.erpNonIdempotent });
      const now = orderIds.filter((x) => !held.has(x));
      const found = await checkRound({ seed: o.seed, round, serviceUrl: service.url, sims, psp, db, orderIds: now, erpNonIdempotent: plan.erpNonIdempotent });
      record(round, found);
      // Orders of earlier rounds whose dead claims have expired by now are checked now.
      const earlier = [...deferred.keys()].filter((x) => !held.has(x));
      if (earlier.length) {
        const still = await orphanClaims(db, earlier, lifeStart(service));
        const ready = earlier.filter((x) => !still.has(x));
        // Their expired claims are taken up again by the worker: wait for that, then check.
        await settle(db, sims, psp, ready, settleMs, lifeStart(service));
        await checkDeferred(ready);
      }
      if (o.verbose) {
        log(
          `round ${round}: workload ${((tHeal - t0) / 1000).toFixed(1)} s, heal+settle ${((tCheck - tHeal) / 1000).toFixed(1)} s, check ${((Date.now() - tCheck) / 1000).toFixed(1)} s; lives ${plan.lives.join(' | ') || '-'}; crashes so far ${service.crashes}; violations ${found.length}${held.size ? `; ${held.size} order(s) checked later` : ''}`,
        );
      }
      if (o.reportEvery && (rounds.indexOf(round) + 1) % o.reportEvery === 0) log(figures(summary()));
      if (o.stopOnViolation && roundsWithViolations.length) break;
    }

    // ---------------------------------------------------------------- orders whose check waited
    if (deferred.size) {
      const ids = [...deferred.keys()];
      const until = (await orphanClaims(db, ids, lifeStart(service))).values();
      const latest = Math.max(0, ...[...until].map((d) => d.getTime()));
      log(`${deferred.size} order(s) wait for the outbox claims of a dead service life (until ${new Date(latest).toISOString()})`);
      await sleep(Math.min(90_000, Math.max(0, latest - Date.now())));
      await settle(db, sims, psp, ids, settleMs, lifeStart(service));
      await sleep(2_500);
      await checkDeferred(ids);
    }
  } finally {
    await service.close().catch(() => undefined);
    await sims.close().catch(() => undefined);
    await psp.close().catch(() => undefined);
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

export async function setFaults(base: string, body: Record<string, unknown>): Promise<void> {
  await simCall(base, 'POST', '/_faults', body);
}

async function applyFaults(sims: Simulators, psp: PspDriver, p: RoundPlan, rng: Rng, faults: Counter): Promise<void> {
  const wh: Record<string, Record<string, unknown>> = { oms: {}, psp: {}, erp: {} };
  const label = (sim: 'oms' | 'psp' | 'erp') => (sim === 'psp' ? psp.label : sim);
  if (p.oms.failNext) faults.add('oms.down (failNext)');
  if (p.erpDown) faults.add('erp.down (failNext until healed)');
  if (p.erpNonIdempotent) faults.add('erp.nonIdempotent');
  if (p.reorder) {
    wh[p.reorder.sim] = { ...wh[p.reorder.sim], mode: 'hold', reverse: true };
    faults.add(`webhooks.reorder ${label(p.reorder.sim)} (hold+reverse)`);
  }
  if (p.late) {
    wh[p.late] = { ...wh[p.late], mode: 'hold' };
    faults.add(`webhooks.late ${label(p.late)} (held until heal)`);
  }
  for (const s of p.duplicate) {
    wh[s] = { ...wh[s], duplicate: true };
    faults.add(`webhooks.duplicate ${label(s)}`);
  }
  if (p.drop) {
    wh[p.drop.sim] = { ...wh[p.drop.sim], dropNext: p.drop.n };
    faults.add(`webhooks.dropNext ${label(p.drop.sim)}`);
  }
  await psp.applyFaults(p.psp, wh.psp!, rng, (k) => faults.add(k));
  await setFaults(sims.urls.oms, { failNext: p.oms.failNext, webhooks: wh.oms });
  await setFaults(sims.urls.erp, { failNext: p.erpDown ? 1_000_000 : 0, nonIdempotent: p.erpNonIdempotent, webhooks: wh.erp });
}

async function healFaults(sims: Simulators, psp: PspDriver): Promise<void> {
  const off = { failNext: 0, timeoutNext: 0, webhooks: { mode: 'immediate', duplicate: false, reverse: false, dropNext: 0 } };
  await psp.healFaults();
  await setFaults(sims.urls.oms, off);
  await setFaults(sims.urls.erp, { ...off, nonIdempotent: false });
}

/**
 * Re-delivers, signed and with the same event id, the events a simulator gave up on (a real PSP
 * retries for days), except: the ones deliberately dropped (dropNext) — their orders are returned
 * for syncOrder — and the ones the service already stored (status RECEIVED): applying a stored event
 * that a crash left unapplied is the service's own job (DESIGN §8), so no retry may hide it.
 */
export async function redeliver(
  sims: Simulators,
  psp: PspDriver,
  index: EventIndex,
  serviceUrl: string,
  db: Connection,
  cursors: Map<string, { deliveries: number }>,
): Promise<Set<string>> {
  // A PSP with its own event stream re-delivers its own; the in-house PSP's go with the others.
  const own = psp.redeliver(db);
  const dropped = own ? await own : new Set<string>();
  for (const s of own ? [sims.oms, sims.erp] : [sims.oms, sims.psp, sims.erp]) {
    const source = s.webhooks.source;
    const cur = cursors.get(source) ?? { deliveries: 0 };
    const fresh: Delivery[] = s.webhooks.deliveries.slice(cur.deliveries);
    cur.deliveries = s.webhooks.deliveries.length;
    cursors.set(source, cur);
    const last = new Map<string, Delivery['outcome']>();
    const delivered = new Set<string>();
    for (const d of fresh) {
      last.set(d.eventId, d.outcome);
      if (d.outcome === 'delivered') delivered.add(d.eventId);
    }
    const byId = index.byId;
    const giveUps = [...last].filter(([id, out]) => out === 'failed' && !delivered.has(id)).map(([id]) => id);
    for (const [id, out] of last) {
      if (out !== 'dropped') continue;
      const oid = orderIdOfEvent(JSON.parse(byId.get(id)!.raw));
      if (oid) dropped.add(oid);
    }
    if (!giveUps.length) continue;
    const [held] = await db.query(`SELECT event_id FROM webhook_event WHERE source = ? AND event_id IN (?) AND status = 'RECEIVED'`, [source.toUpperCase(), giveUps]);
    const stored = new Set((held as { event_id: string }[]).map((r) => r.event_id));
    for (const id of giveUps) {
      if (stored.has(id)) continue;
      const ev = byId.get(id)!;
      await sendSignedWebhook(serviceUrl, source, SECRETS[source.toUpperCase() as 'OMS' | 'PSP' | 'ERP'], ev.raw, id);
    }
  }
  return dropped;
}

/**
 * Waits (bounded) for the service's own workers: nothing in flight, nothing queued, nothing
 * unapplied for the round's orders. Polls the database (a wait, not a check) and stops early when
 * nothing moved for a while — a state that no longer changes will not settle by waiting longer.
 */
export async function settle(db: Connection, sims: Simulators, psp: PspDriver, orderIds: string[], settleMs: number, lifeStarted: Date): Promise<void> {
  if (!orderIds.length) return;
  const deadline = Date.now() + settleMs;
  let last = '';
  let since = Date.now();
  while (Date.now() < deadline) {
    // Claims of a dead life are left out: only their lease expiry frees them (see orphanClaims).
    const [[a]] = (await db.query(
      `SELECT COUNT(*) n, COALESCE(SUM(attempts), 0) t FROM outbox_message
       WHERE order_id IN (?) AND (status = 'PENDING' OR (status = 'RUNNING' AND (updated_at >= ? OR locked_until <= ?)))`,
      [orderIds, lifeStarted, new Date()],
    )) as any;
    const [[b]] = (await db.query(`SELECT COUNT(*) n, COALESCE(SUM(attempts), 0) t FROM refund WHERE order_id IN (?) AND status IN ('REQUESTED', 'SUBMITTED')`, [orderIds])) as any;
    // Events of these orders only: one left unapplied by an earlier round must not hold this one up.
    const [[w]] = (await db.query(
      `SELECT COUNT(*) n FROM webhook_event WHERE status IN ('RECEIVED', 'FAILED', 'WAITING') AND (${orderIds.map(() => 'payload LIKE ?').join(' OR ')})`,
      orderIds.map((id) => `%"${id}"%`),
    )) as any;
    const pending = sims.oms.webhooks.pending() + psp.pendingEvents() + sims.erp.webhooks.pending();
    if (Number(a.n) + Number(b.n) + Number(w.n) + pending === 0) return;
    // Counts only: a message retried for ever (its order never arrives) must not look like progress.
    const fp = `${a.n}/${b.n}/${w.n}/${pending}`;
    if (fp !== last) {
      last = fp;
      since = Date.now();
    } else if (Date.now() - since > 8_000) return;
    await sleep(300);
  }
}

interface IndexedEvent {
  source: 'oms' | 'psp' | 'erp';
  eventId: string;
  type: string;
  raw: string;
}

/** Every event the simulators emitted, by id and by order, indexed as they come (the lists only grow). */
export class EventIndex {
  readonly byId = new Map<string, IndexedEvent>();
  readonly byOrder = new Map<string, IndexedEvent[]>();
  private seen = new Map<string, number>();

  constructor(private readonly sims: Simulators) {}

  update(): this {
    for (const sim of [this.sims.oms, this.sims.psp, this.sims.erp]) {
      const source = sim.webhooks.source;
      const list = sim.webhooks.events;
      for (let i = this.seen.get(source) ?? 0; i < list.length; i++) {
        const { eventId, type, raw } = list[i]!; // i < list.length
        const e: IndexedEvent = { source, eventId, type, raw };
        this.byId.set(e.eventId, e);
        const oid = orderIdOfEvent(JSON.parse(e.raw));
        if (oid) this.byOrder.set(oid, [...(this.byOrder.get(oid) ?? []), e]);
      }
      this.seen.set(source, list.length);
    }
    return this;
  }
}

/** What the simulators hold about an order with a violation, and every event about it with its deliveries. */
function writeEvidence(outDir: string, sims: Simulators, psp: PspDriver, index: EventIndex, orderId: string): void {
  const dir = path.join(outDir, 'orders');
  mkdirSync(dir, { recursive: true });
  const of = <T>(m: Map<string, T>, f: (x: T) => boolean) => [...m.values()].filter(f);
  const senders = { oms: sims.oms.webhooks, psp: sims.psp.webhooks, erp: sims.erp.webhooks };
  const events = (index.update().byOrder.get(orderId) ?? []).map((e) => ({
    source: e.source,
    eventId: e.eventId,
    type: e.type,
    body: JSON.parse(e.raw),
    deliveries: senders[e.source].deliveries.filter((d) => d.eventId === e.eventId),
  }));
  const evidence = {
    orderId,
    oms: {
      order: sims.oms.state.orders.get(orderId) ?? null,
      invoices: of(sims.oms.state.invoices, (i) => i.orderId === orderId),
      interactions: of(sims.oms.state.interactions, (i) => i.orderId === orderId),
      invoiceData: sims.oms.state.invoiceData.get(orderId) ?? null,
    },
    psp: { kind: psp.kind, ...(psp.evidence(orderId) as object) },
    erp: { postings: of(sims.erp.state.postings, (p) => p.orderId === orderId) },
    events,
  };
  writeFileSync(path.join(dir, `${orderId}.json`), stringifyWithBigints(evidence, 2));
}

/** When the current service life started (claims made before it belong to a dead life). */
export function lifeStart(service: ServiceProcess | ReplicaSet): Date {
  return new Date(service.life?.startedAt ?? Date.now());
}

/** Orders with outbox messages claimed by a life that is gone, and when the last claim expires. */
export async function orphanClaims(db: Connection, orderIds: string[], lifeStarted: Date): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  if (!orderIds.length) return out;
  const [rows] = await db.query(
    `SELECT order_id, MAX(locked_until) AS until FROM outbox_message WHERE order_id IN (?) AND status = 'RUNNING' AND updated_at < ? AND locked_until > ? GROUP BY order_id`,
    [orderIds, lifeStarted, new Date()],
  );
  for (const r of rows as { order_id: string; until: Date }[]) out.set(r.order_id, new Date(r.until));
  return out;
}

export const sortObj = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

export function figures(s: CampaignSummary): string {
  const lines = [
    `seed ${s.seed}${s.psp === 'inhouse' ? '' : `  psp ${s.psp}`}  rounds ${s.rounds.length === 1 ? `#${s.rounds[0]}` : s.rounds.length}  concurrency ${s.concurrency}  scenarios ${s.scenarios}  operations ${s.operations}  faults ${s.faults}  crashes ${s.crashes}  restarts ${s.restarts}  violations ${s.violations.length}  ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  if (s.unexpectedExits) lines.push(`  service exits that were not a fault point: ${s.unexpectedExits} (see ${s.serviceLog})`);
  for (const [k, n] of Object.entries(s.violationsByInvariant)) lines.push(`  ${k}: ${n}`);
  return lines.join('\n');
}

export function report(s: CampaignSummary): string {
  const out = [figures(s), '', 'operations:'];
  for (const [k, n] of Object.entries(s.operationsByKind)) out.push(`  ${k}: ${n}`);
  out.push('faults:');
  for (const [k, n] of Object.entries(s.faultsByKind)) out.push(`  ${k}: ${n}`);
  out.push(
    `refunds at the PSP (${s.psp}): ${
      Object.entries(s.pspRefundsByStatus)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none'
    }`,
  );
  if (s.violations.length) {
    out.push('violations (first of each invariant; all in summary.json):');
    const seen = new Set<string>();
    for (const x of s.violations) {
      if (seen.has(x.invariant)) continue;
      seen.add(x.invariant);
      out.push(`  [${x.invariant}] round ${x.round} order ${x.orderId}: ${x.detail}`, `      replay: ${x.replay}`);
    }
    out.push('replay commands:');
    for (const r of [...new Set(s.violations.map((x) => x.replay))].slice(0, 20)) out.push(`  ${r}`);
  }
  out.push(`summary: ${path.join(s.outDir, 'summary.json')}  service log: ${s.serviceLog}`);
  return out.join('\n');
}
