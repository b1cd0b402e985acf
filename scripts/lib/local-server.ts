import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

export interface DatabaseServer {
  url: string; // mariadb://root@127.0.0.1:PORT
  managed: boolean;
  stop(): Promise<void>;
}

export interface EnsureOptions {
  dataDir?: string; // default: <repoRoot>/.data/mariadb-<pid>
  fresh?: boolean; // wipe dataDir first; default true when dataDir was defaulted
  log?: (msg: string) => void;
}

const run = promisify(execFile);
const FALLBACK_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/bin'];
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

// Kill hooks of servers not yet stopped. Without them a server outlives its parent; one shared
// 'exit' listener (not one per server) avoids MaxListenersExceeded warnings in suites that start many.
export const onParentExit = new Set<() => void>();
process.on('exit', () => onParentExit.forEach((kill) => kill()));
const liveDirs = new Set<string>();

export async function ensureDatabaseServer(databaseUrl: string | undefined, opts: EnsureOptions = {}): Promise<DatabaseServer> {
  if (typeof databaseUrl === 'string' && databaseUrl !== '') {
    return { url: databaseUrl, managed: false, stop: async () => {} };
  }
  const dataRoot = path.join(findRepoRoot(), '.data');
  if (opts.dataDir === undefined) removeStaleDataDirs(dataRoot);
  const base = opts.dataDir ?? path.join(dataRoot, `mariadb-${process.pid}`);
  let dataDir = path.resolve(base);
  // A second default server in the same process must not wipe the first one's directory.
  for (let n = 2; opts.dataDir === undefined && liveDirs.has(dataDir); n++) dataDir = path.resolve(`${base}-${n}`);
  if (liveDirs.has(dataDir)) throw new Error(`a managed MariaDB is already running on ${dataDir}`);
  const fresh = opts.fresh ?? opts.dataDir === undefined;
  liveDirs.add(dataDir);
  try {
    return await startServer(dataDir, fresh, opts.log ?? (() => {}));
  } catch (err) {
    liveDirs.delete(dataDir);
    if (fresh) for (const d of [dataDir, `${dataDir}.tmp`]) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    throw err;
  }
}

async function startServer(dataDir: string, fresh: boolean, log: (msg: string) => void): Promise<DatabaseServer> {
  const isRoot = process.getuid?.() === 0;
  const { server, installDb } = await findOrInstallBinaries(isRoot, log);

  if (fresh) for (const d of [dataDir, `${dataDir}.tmp`]) rmSync(d, { recursive: true, force: true });
  if (!existsSync(path.join(dataDir, 'mysql'))) {
    mkdirSync(dataDir, { recursive: true });
    log(`mariadb: initialising ${dataDir}`);
    // --force skips the hostname DNS lookup, which fails in many containers.
    await run(installDb, [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--force',
      ...(isRoot ? ['--user=root'] : []),
    ]).catch((err: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`${installDb} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
  }

  // The socket path is limited by sun_path (108 bytes incl. NUL); deep repo paths overflow it.
  const socketInTmp = Buffer.byteLength(path.join(dataDir, 'mysqld.sock')) >= 108;
  const socket = socketInTmp ? path.join(tmpdir(), `mariadb-${process.pid}-${Date.now()}.sock`) : path.join(dataDir, 'mysqld.sock');
  const cleanup = () => {
    if (fresh) for (const d of [dataDir, `${dataDir}.tmp`]) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    if (socketInTmp) rmSync(socket, { force: true });
  };
  const errorLog = path.join(dataDir, 'error.log');

  // Another process can grab the port between our probe and mariadbd's bind, so retry on bind failure.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    log(`mariadb: starting ${server} on 127.0.0.1:${port}`);
    const started = Date.now();
    const child = spawn(
      server,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${socket}`,
        `--pid-file=${path.join(dataDir, 'mysqld.pid')}`,
        ...(isRoot ? ['--user=root'] : []), // mariadbd refuses to run as root without it
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=256M',
        '--innodb-flush-log-at-trx-commit=1',
        '--max-connections=500',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
        // Its own directory for on-disk temporary tables, never the /tmp other servers share.
        `--tmpdir=${ensureDir(`${dataDir}.tmp`)}`,
        `--log-error=${errorLog}`,
      ],
      { stdio: 'ignore' },
    );
    // Unref'd so an idle parent can still exit; the 'exit' hook below then kills the server.
    child.unref();
    const watchdog = spawnWatchdog(child.pid, fresh ? dataDir : undefined);
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(`process exited (code ${code}, signal ${signal})`));
      child.once('error', (err) => resolve(`failed to spawn: ${err.message}`));
    });
    const killOnExit = () => {
      watchdog.disarm();
      child.kill('SIGKILL');
      cleanup();
    };
    onParentExit.add(killOnExit);

    const ready = await waitReady(port, exited);
    if (ready !== true) {
      onParentExit.delete(killOnExit);
      watchdog.disarm();
      child.kill('SIGKILL');
      await exited;
      const tail = logTail(errorLog);
      if (attempt < 3 && /Bind on TCP\/IP port|Address already in use/.test(tail)) continue;
      if (socketInTmp) rmSync(socket, { force: true });
      throw new Error(`mariadbd did not accept connections on port ${port}: ${ready}\n--- tail of ${errorLog} ---\n${tail}`);
    }
    log(`mariadb: ready on port ${port} after ${Date.now() - started} ms`);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        onParentExit.delete(killOnExit);
        watchdog.disarm();
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_TIMEOUT_MS)))]);
          clearTimeout(timer);
          if (timedOut) {
            log('mariadb: graceful shutdown timed out, sending SIGKILL');
            child.kill('SIGKILL');
            await exited;
          }
        }
        cleanup();
        liveDirs.delete(dataDir);
      })());
    // The mariadb:// scheme selects TypeORM's MariaDB dialect (exact schema diffs for migration:generate).
    return { url: `mariadb://root@127.0.0.1:${port}`, managed: true, stop };
  }
}

/**
 * 'exit' handlers do not run when Node dies from a signal, and mariadbd ignores the SIGINT a
 * terminal Ctrl-C sends, so that would orphan the server. This detached shell holds the read end
 * of a pipe from us; when we die by any means the pipe closes and it shuts the server down.
 * The orphaned server is then reaped by init, so a zombie (State: Z) already counts as gone.
 */
export function spawnWatchdog(pid: number | undefined, removeDir: string | undefined): { disarm(): void } {
  if (pid === undefined) return { disarm: () => {} };
  const script = `trap '' INT HUP TERM; read _; kill -TERM "$1" 2>/dev/null || exit 0
    i=0; while kill -0 "$1" 2>/dev/null && ! grep -q '^State:.Z' /proc/$1/status 2>/dev/null && [ $i -lt 50 ]
    do sleep 0.2; i=$((i+1)); done
    kill -KILL "$1" 2>/dev/null; [ -n "$2" ] && rm -rf "$2"`;
  const dog = spawn('sh', ['-c', script, 'watchdog', String(pid), removeDir ?? ''], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  dog.on('error', () => {}); // best effort: without sh we still have the 'exit' hook
  dog.unref();
  (dog.stdin as unknown as Socket).unref();
  return {
    disarm: () => {
      dog.kill('SIGKILL');
      dog.stdin?.destroy();
    },
  };
}

/** Resolves true once a root login succeeds, or a reason string on crash/timeout. */
export async function waitReady(port: number, exited: Promise<string>, timeoutMs = READY_TIMEOUT_MS): Promise<true | string> {
  let dead: string | undefined;
  void exited.then((why) => (dead = why));
  const deadline = Date.now() + timeoutMs;
  let lastError = 'timed out';
  while (Date.now() < deadline) {
    if (dead) return dead;
    try {
      const conn = await createConnection({ host: '127.0.0.1', port, user: 'root', password: '', connectTimeout: 2000 });
      await conn.end();
      return true;
    } catch (err) {
      lastError = `timed out after ${timeoutMs} ms (last error: ${(err as Error).message})`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return lastError;
}

/** Installs Debian packages with apt-get (as root only; the caller checks). */
export async function aptInstall(packages: string[], log: (msg: string) => void): Promise<void> {
  log(`mariadb: installing ${packages.join(', ')} with apt-get (this can take a minute)...`);
  await run('apt-get', ['update'], { maxBuffer: 64 << 20 });
  // `env` sets the variable for apt-get without this module touching process.env.
  await run('env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', ...packages], { maxBuffer: 64 << 20 });
  log(`mariadb: ${packages.join(', ')} installed`);
}

export async function findOrInstallBinaries(isRoot: boolean, log: (msg: string) => void) {
  const find = async () => ({
    server: await findBinary(['mariadbd', 'mysqld']),
    installDb: await findBinary(['mariadb-install-db', 'mysql_install_db']),
  });
  let found = await find();
  if (found.server && found.installDb) return found as { server: string; installDb: string };
  if (!isRoot) {
    throw new Error(
      "MariaDB server binaries (mariadbd, mariadb-install-db) not found. Install Debian's mariadb-server " +
        '(sudo apt-get install mariadb-server) or set DATABASE_URL to an existing MariaDB/MySQL server.',
    );
  }
  await aptInstall(['mariadb-server'], log);
  found = await find();
  if (found.server && found.installDb) return found as { server: string; installDb: string };
  throw new Error('apt-get installed mariadb-server but mariadbd / mariadb-install-db are still not found');
}

export async function findBinary(names: string[]): Promise<string | undefined> {
  for (const name of names) {
    // Let the shell search PATH so this module never reads process.env.
    const onPath = await run('sh', ['-c', 'command -v "$1"', 'sh', name]).then(
      (r) => r.stdout.trim(),
      () => '',
    );
    if (path.isAbsolute(onPath)) return onPath;
    for (const dir of FALLBACK_DIRS) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        /* keep looking */
      }
    }
  }
  return undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Default dirs of processes that died mid-start or were SIGKILLed would otherwise pile up. */
function removeStaleDataDirs(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^mariadb-(\d+)(?:-\d+)?$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0); // throws ESRCH only if no such process; EPERM means it is alive
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') rmSync(path.join(parent, name), { recursive: true, force: true });
    }
  }
}

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd(); // e.g. compiled outside the repo
  }
}

export function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no error log)';
  }
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
