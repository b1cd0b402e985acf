/**
 * The service on a real three-node MariaDB Galera cluster (synchronous multi-primary).
 * - A certification conflict (another node committed a write to the same row first) fails the
 *   local transaction with a deadlock, at a statement or at COMMIT: the unit of work is run again.
 * - The fault campaign with two replicas, each on its own node behind one balancer (concurrent
 *   refunds of the same orders from both, webhooks to either, both replicas' workers running):
 *   mid-run one node is killed, its replica moves to the third node; the invariants hold.
 * - Two nodes' transactions of one order: the order lock (a write) makes one of them run again.
 * In the suite: two rounds. `npm run test:cluster` runs more (MG_CLUSTER_ROUNDS).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createDataSource } from '../../src/db/data-source';
import { RequestContext, type AppServices } from '../../src/db/context';
import { lockOrder, transactionRetries, withTransaction } from '../../src/db/transaction';
import { GaleraCluster, startGaleraCluster } from '../../scripts/lib/galera-cluster';
import { report, runCampaign } from '../campaign/campaign';

const ROUNDS = Number(process.env.MG_CLUSTER_ROUNDS || 2);
const CONCURRENCY = 4;
const SEED = 20261214;
const DATA = path.resolve(__dirname, '..', '..', '..', '.data', `galera-test-${process.pid}`);

let cluster: GaleraCluster;
before(async () => {
  cluster = await startGaleraCluster({ dataRoot: DATA, log: (m) => console.log(m) });
});
after(async () => {
  await cluster?.stop();
});

const url = (node: number, db: string) => `${cluster.nodes[node]!.url}/${db}`;
const mysqlOf = (node: number, database?: string) => createConnection({ host: '127.0.0.1', port: cluster.nodes[node]!.port, user: 'root', database });

test('a certification conflict with another node is retried as a whole unit of work, also when it fails at COMMIT, and counted', { timeout: 120_000 }, async () => {
  const c1 = await mysqlOf(0);
  await c1.query('CREATE DATABASE cert CHARACTER SET utf8mb4');
  await c1.query('CREATE TABLE cert.counter (id int PRIMARY KEY, n int NOT NULL) ENGINE=InnoDB');
  await c1.query('INSERT INTO cert.counter VALUES (1, 0)');
  await c1.end();
  const other = await mysqlOf(1, 'cert');
  const ds = createDataSource(url(0, 'cert'), []);
  await ds.initialize();
  try {
    const ctx = RequestContext.system({ dataSource: ds } as AppServices);
    let attempts = 0;
    await withTransaction(ctx, async (tx) => {
      attempts++;
      await tx.manager.query('UPDATE counter SET n = n + 1 WHERE id = 1');
      // The first attempt loses: node 2 commits a write of the same row while this one is open.
      if (attempts === 1) await other.query('UPDATE counter SET n = n + 10 WHERE id = 1');
    });
    // Node 2 applies node 1's last commit a moment after it returns: a causal read waits until it has
    // (without it, the read could miss the re-run's +1).
    await other.query('SET SESSION wsrep_sync_wait = 1');
    const [rows] = await other.query('SELECT n FROM counter WHERE id = 1');
    // Galera applies another node's write set a little after that node's COMMIT returns: a re-run
    // started before it is applied here can lose once more.
    assert.ok(attempts >= 2, 'the unit of work ran again after losing certification');
    // Both writes are there, each once: node 2's (+10) and the re-run's (+1), not the lost attempt's.
    assert.deepEqual(rows, [{ n: 11 }]);
    assert.equal(transactionRetries(ds).get('ER_LOCK_DEADLOCK'), attempts - 1, 'every re-run is counted');
  } finally {
    await ds.destroy();
    await other.end();
  }
});

test('two nodes deciding on one order: the order lock is certified cluster-wide, so the second decision is re-run and sees the first', { timeout: 120_000 }, async () => {
  const c1 = await mysqlOf(0);
  await c1.query('CREATE DATABASE orderlock CHARACTER SET utf8mb4');
  await c1.query('CREATE TABLE orderlock.oms_order (id varchar(64) PRIMARY KEY, lock_seq bigint NOT NULL DEFAULT 0) ENGINE=InnoDB');
  await c1.query('CREATE TABLE orderlock.decision (id int AUTO_INCREMENT PRIMARY KEY, order_id varchar(64) NOT NULL, seen int NOT NULL) ENGINE=InnoDB');
  await c1.query("INSERT INTO orderlock.oms_order (id) VALUES ('o-1')");
  await c1.end();
  // Node 2 applies node 1's writes a moment after they commit: a causal read there waits until it has.
  const c2 = await mysqlOf(1);
  await c2.query('SET SESSION wsrep_sync_wait = 1');
  const [seen] = await c2.query("SELECT id FROM orderlock.oms_order WHERE id = 'o-1'");
  await c2.end();
  assert.equal((seen as unknown[]).length, 1, 'node 2 has the order');
  const [a, b] = [createDataSource(url(0, 'orderlock'), []), createDataSource(url(1, 'orderlock'), [])];
  await Promise.all([a.initialize(), b.initialize()]);
  try {
    const ctxA = RequestContext.system({ dataSource: a } as AppServices);
    const ctxB = RequestContext.system({ dataSource: b } as AppServices);
    // A decision: lock the order, count the decisions already made, add one that says what it saw.
    const decide = async (tx: RequestContext, between?: () => Promise<void>) => {
      assert.equal(await lockOrder(tx, 'o-1'), true);
      const [{ n }] = await tx.manager.query("SELECT COUNT(*) n FROM decision WHERE order_id = 'o-1'");
      await between?.();
      await tx.manager.query("INSERT INTO decision (order_id, seen) VALUES ('o-1', ?)", [Number(n)]);
    };
    let attempts = 0;
    await withTransaction(ctxA, (tx) => {
      attempts++;
      // While node 1 holds the lock and has read, node 2 decides on the same order and commits.
      return decide(tx, attempts === 1 ? () => withTransaction(ctxB, (txB) => decide(txB)) : undefined);
    });
    assert.ok(attempts >= 2, "node 1's first decision lost certification to node 2's and was run again");
    // Read on node 2 causally: node 1's re-run may still be being applied there.
    const reader = await mysqlOf(1, 'orderlock');
    await reader.query('SET SESSION wsrep_sync_wait = 1');
    const [found] = await reader.query("SELECT seen FROM decision WHERE order_id = 'o-1' ORDER BY seen");
    await reader.end();
    const rows = found as { seen: number }[];
    // Node 2 saw none; node 1's re-run saw node 2's. Two decisions that both saw none is the double refund.
    assert.deepEqual(
      rows.map((r) => Number(r.seen)),
      [0, 1],
    );
  } finally {
    await Promise.all([a.destroy(), b.destroy()]);
  }
});

test(`fault campaign on the cluster, two replicas, a node killed mid-run (${ROUNDS} rounds): no exactly-once violation`, { timeout: 60_000 + ROUNDS * 90_000 }, async () => {
  const moved: string[] = [];
  const s = await runCampaign({
    seed: SEED,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    serverUrl: cluster.nodes[0]!.url,
    replicaServerUrls: [cluster.nodes[0]!.url, cluster.nodes[1]!.url],
    outDir: path.resolve(__dirname, '..', '..', '..', '.data', 'cluster-test', `${SEED}-${Date.now()}`),
    log: (l) => console.log(`[cluster] ${l}`),
    verbose: true,
    // Round 1 (the second): node 2 dies while the refunds run; its replica moves to node 3.
    during: async (round, replicas, db) => {
      if (round !== 1) return;
      await new Promise((r) => setTimeout(r, 1500));
      await replicas.moveReplica(1, url(2, db), () => cluster.nodes[1]!.kill());
      moved.push(`round ${round}`);
    },
  });
  console.log(report(s));
  assert.deepEqual(moved, ['round 1'], 'node 2 was killed and its replica moved');
  assert.ok(s.operations > 30, `the campaign ran too few operations (${s.operations})`);
  assert.equal(s.unexpectedExits, 0, `a replica died other than by a fault point (see ${s.serviceLog})`);
  const list = s.violations.map((v) => `  [${v.invariant}] round ${v.round} order ${v.orderId}: ${v.detail}`);
  assert.equal(s.violations.length, 0, `${s.violations.length} violation(s):\n${list.join('\n')}`);
  const c = await mysqlOf(2);
  const [[st]] = (await c.query(`SHOW STATUS LIKE 'wsrep_cluster_size'`)) as any;
  await c.end();
  assert.equal(st.Value, '2', 'the two surviving nodes still form the cluster');
});
