/**
 * A local MariaDB Galera cluster: N `mariadbd` nodes on their own data directories and ports
 * (client, group communication, IST, SST), forming one synchronous multi-primary cluster. The
 * first node bootstraps it (--wsrep-new-cluster), the others join it by a full state transfer
 * (rsync). For development, tests and benchmarks; never for production.
 */
import { execFile, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { aptInstall, ensureDir, findBinary, findOrInstallBinaries, freePort, logTail, onParentExit, spawnWatchdog, waitReady } from './local-server';

const run = promisify(execFile);
const PROVIDER = '/usr/lib/galera/libgalera_smm.so';
/** A joiner receives the whole data set by rsync before it answers: slow on a busy machine. */
const JOIN_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;

export interface GaleraNode {
  readonly name: string;
  /** mariadb://root@127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number;
  /** SIGKILL, as a crashed machine: the others carry on without it. */
  kill(): Promise<void>;
}

export interface GaleraCluster {
  readonly nodes: GaleraNode[];
  /** Stops every node still running and removes the data directories. */
  stop(): Promise<void>;
}

export interface GaleraOptions {
  /** Parent of the nodes' data directories (node1, node2, …); wiped first. */
  dataRoot: string;
  size?: number;
  /** The nodes outlive this process (npm run cluster:start); otherwise they die with it. */
  detached?: boolean;
  log?: (msg: string) => void;
}

export async function startGaleraCluster(o: GaleraOptions): Promise<GaleraCluster> {
  const log = o.log ?? (() => {});
  const size = o.size ?? 3;
  const isRoot = process.getuid?.() === 0;
  const { server, installDb } = await findOrInstallBinaries(isRoot, log);
  await ensureGalera(isRoot, log);

  rmSync(o.dataRoot, { recursive: true, force: true });
  mkdirSync(o.dataRoot, { recursive: true });
  const ports = [];
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), group: await freePort(), ist: await freePort(), sst: await freePort() });
  const peers = `gcomm://${ports.map((p) => `127.0.0.1:${p.group}`).join(',')}`;
  const nodes: GaleraNode[] = [];
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.all(stops.map((s) => s()));
    rmSync(o.dataRoot, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const name = `node${i + 1}`;
      const dataDir = path.join(o.dataRoot, name);
      const p = ports[i]!; // i < size = ports.length
      mkdirSync(dataDir, { recursive: true });
      if (i === 0) {
        log(`galera: initialising ${dataDir}`);
        await run(installDb, [
          '--no-defaults',
          `--datadir=${dataDir}`,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
          '--force',
          ...(isRoot ? ['--user=root'] : []),
        ]);
      } else if (isRoot) {
        // The rsync daemon that receives the state transfer runs as nobody.
        chownSync(dataDir, 65534, 65534);
      }
      const errorLog = path.join(o.dataRoot, `${name}.err`);
      const args = [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--port=${p.client}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(o.dataRoot, `${name}.sock`)}`,
        `--pid-file=${path.join(o.dataRoot, `${name}.pid`)}`,
        ...(isRoot ? ['--user=root'] : []),
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=128M',
        '--max-connections=300',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
        `--tmpdir=${ensureDir(path.join(o.dataRoot, `${name}.tmp`))}`,
        `--log-error=${errorLog}`,
        '--wsrep-on=ON',
        `--wsrep-provider=${PROVIDER}`,
        `--wsrep-cluster-address=${peers}`,
        '--wsrep-cluster-name=moneygraph',
        `--wsrep-node-name=${name}`,
        '--wsrep-node-address=127.0.0.1',
        `--wsrep-node-incoming-address=127.0.0.1:${p.client}`,
        `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${p.group};ist.recv_addr=127.0.0.1:${p.ist};gcache.size=64M`,
        `--wsrep-sst-receive-address=127.0.0.1:${p.sst}`,
        '--wsrep-sst-method=rsync',
        '--binlog-format=ROW',
        '--default-storage-engine=InnoDB',
        '--innodb-autoinc-lock-mode=2',
        ...(i === 0 ? ['--wsrep-new-cluster'] : []),
      ];
      log(`galera: starting ${name} on 127.0.0.1:${p.client}${i === 0 ? ' (bootstraps the cluster)' : ' (joins by state transfer)'}`);
      const started = Date.now();
      const child = spawn(server, args, { stdio: 'ignore', detached: o.detached === true, env: { PATH: `/usr/sbin:/usr/bin:/sbin:/bin` } });
      child.unref();
      const exited = new Promise<string>((resolve) => {
        child.once('exit', (code, signal) => resolve(`process exited (code ${code}, signal ${signal})`));
        child.once('error', (err) => resolve(`failed to spawn: ${err.message}`));
      });
      const watchdog = o.detached ? { disarm: () => {} } : spawnWatchdog(child.pid, undefined);
      const killNow = () => {
        watchdog.disarm();
        child.kill('SIGKILL');
      };
      if (!o.detached) onParentExit.add(killNow);
      let stopping: Promise<void> | undefined;
      const stopNode = (signal: NodeJS.Signals) =>
        (stopping ??= (async () => {
          onParentExit.delete(killNow);
          watchdog.disarm();
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill(signal);
          let timer: NodeJS.Timeout | undefined;
          const late = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_TIMEOUT_MS)))]);
          clearTimeout(timer);
          if (late) {
            child.kill('SIGKILL');
            await exited;
          }
        })());
      stops.push(() => stopNode('SIGTERM'));
      const ready = await waitSynced(p.client, exited, JOIN_TIMEOUT_MS);
      if (ready !== true) throw new Error(`galera ${name} did not join: ${ready}\n--- tail of ${errorLog} ---\n${logTail(errorLog)}`);
      log(`galera: ${name} synced after ${((Date.now() - started) / 1000).toFixed(1)} s`);
      nodes.push({ name, url: `mariadb://root@127.0.0.1:${p.client}`, port: p.client, dataDir, pid: child.pid!, kill: () => stopNode('SIGKILL') });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { nodes, stop };
}

/** Resolves true once the node accepts a root login and reports itself Synced with the cluster. */
async function waitSynced(port: number, exited: Promise<string>, timeoutMs: number): Promise<true | string> {
  const deadline = Date.now() + timeoutMs;
  const up = await waitReady(port, exited, timeoutMs);
  if (up !== true) return up;
  let last = '';
  while (Date.now() < deadline) {
    const c = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2000 });
    try {
      const [rows] = await c.query(`SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_ready', 'wsrep_cluster_size')`);
      const s = Object.fromEntries((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]));
      last = `state ${s.wsrep_local_state_comment}, ready ${s.wsrep_ready}, cluster size ${s.wsrep_cluster_size}`;
      if (s.wsrep_local_state_comment === 'Synced' && s.wsrep_ready === 'ON') return true;
    } finally {
      await c.end();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return `not synced after ${timeoutMs} ms (${last})`;
}

/** galera-4 (the provider) and rsync (the state transfer), installed with apt-get when missing. */
async function ensureGalera(isRoot: boolean, log: (msg: string) => void): Promise<void> {
  const missing = [...(existsSync(PROVIDER) ? [] : ['galera-4']), ...((await findBinary(['rsync'])) ? [] : ['rsync'])];
  if (!missing.length) return;
  if (!isRoot) throw new Error(`Galera needs ${missing.join(' and ')}: sudo apt-get install ${missing.join(' ')}`);
  await aptInstall(missing, log);
  if (!existsSync(PROVIDER)) throw new Error(`apt-get installed galera-4 but ${PROVIDER} is still missing`);
}
