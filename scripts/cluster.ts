/**
 * `npm run cluster:start`: a local three-node MariaDB Galera cluster (data in .data/galera), with
 * the application database created and migrated; prints each node's DATABASE_URL. The nodes keep
 * running after the command returns. `npm run cluster:stop` stops them and removes their data.
 */
import 'reflect-metadata';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createAppDataSource } from '../src/modules';
import { startGaleraCluster } from './lib/galera-cluster';

const ROOT = path.resolve(__dirname, '..', '..', '.data', 'galera');
const STATE = `${ROOT}.json`;

interface State {
  nodes: { name: string; url: string; pid: number }[];
}

async function start(): Promise<void> {
  if (alive(readState())) throw new Error(`a cluster is already running (${STATE}); npm run cluster:stop stops it`);
  const cluster = await startGaleraCluster({ dataRoot: ROOT, detached: true, log: (m) => console.log(m) });
  writeFileSync(STATE, JSON.stringify({ nodes: cluster.nodes.map((n) => ({ name: n.name, url: n.url, pid: n.pid })) }, null, 2));
  const first = new URL(cluster.nodes[0]!.url); // a cluster has at least one node
  const c = await createConnection({ host: first.hostname, port: Number(first.port), user: 'root' });
  await c.query('CREATE DATABASE IF NOT EXISTS moneygraph CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
  await c.end();
  first.pathname = '/moneygraph';
  const ds = createAppDataSource(first.toString());
  await ds.initialize();
  const ran = await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  console.log(`${ran.length} migration(s) applied.\n`);
  for (const n of cluster.nodes) console.log(`${n.name}: DATABASE_URL=${n.url}/moneygraph`);
  console.log('\nnpm run cluster:stop stops the cluster.');
}

async function stop(): Promise<void> {
  const state = readState();
  if (!state) {
    console.log('no cluster is running');
    return;
  }
  for (const n of state.nodes) signal(n.pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (alive(state) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  for (const n of state.nodes) signal(n.pid, 'SIGKILL');
  rmSync(ROOT, { recursive: true, force: true });
  rmSync(STATE, { force: true });
  console.log(`stopped ${state.nodes.map((n) => n.name).join(', ')}`);
}

function readState(): State | undefined {
  try {
    return JSON.parse(readFileSync(STATE, 'utf8')) as State;
  } catch {
    return undefined;
  }
}

function alive(state: State | undefined): boolean {
  return (state?.nodes ?? []).some((n) => signal(n.pid, 0));
}

/** Sends a signal to a node (0 probes it); false when there is no such process. */
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

const command = process.argv[2];
(command === 'start' ? start() : command === 'stop' ? stop() : Promise.reject(new Error('usage: cluster.js start|stop'))).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
