import { execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';

export interface DatabaseServer {
  url: string; // mysql://root@127.0.0.1:PORT
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

// Servers not yet stopped; one shared 'exit' hook (rather than one per server) avoids
// MaxListenersExceeded warnings in suites that start many. Without it a server outlives its parent.
const onParentExit = new Set<() => void>();
process.on('exit', () => onParentExit.forEach((kill) => kill()));

export async function ensureDatabaseServer(
  databaseUrl: string | undefined,
  opts: EnsureOptions = {},
): Promise<DatabaseServer> {
  if (typeof databaseUrl === 'string' && databaseUrl !== '') {
    return { url: databaseUrl, managed: false, stop: async () => {} };
  }
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir ?? path.join(findRepoRoot(), '.data', `mariadb-${process.pid}`));
  const fresh = opts.fresh ?? opts.dataDir === undefined;
  const isRoot = process.getuid?.() === 0;
  const { server, installDb } = await findOrInstallBinaries(isRoot, log);

  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  if (!existsSync(path.join(dataDir, 'mysql'))) {
    mkdirSync(dataDir, { recursive: true });
    log(`mariadb: initialising ${dataDir}`);
    // --force skips the hostname DNS lookup, which fails in many containers.
    await run(installDb, [
      '--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal',
      '--skip-test-db', '--force', ...(isRoot ? ['--user=root'] : []),
    ]).catch((err: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`${installDb} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
  }

  // The socket path is limited by sun_path (108 bytes incl. NUL); deep repo paths overflow it.
  let socket = path.join(dataDir, 'mysqld.sock');
  if (Buffer.byteLength(socket) >= 108) socket = path.join(tmpdir(), `mariadb-${process.pid}-${Date.now()}.sock`);
  const errorLog = path.join(dataDir, 'error.log');

  // Another process can grab the port between our probe and mariadbd's bind, so retry on bind failure.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    log(`mariadb: starting ${server} on 127.0.0.1:${port}`);
    const started = Date.now();
    const child = spawn(server, [
      '--no-defaults', `--datadir=${dataDir}`, `--port=${port}`, '--bind-address=127.0.0.1',
      `--socket=${socket}`, `--pid-file=${path.join(dataDir, 'mysqld.pid')}`,
      ...(isRoot ? ['--user=root'] : []), // mariadbd refuses to run as root without it
      '--skip-name-resolve', '--innodb-buffer-pool-size=256M', '--innodb-flush-log-at-trx-commit=1',
      '--max-connections=500', '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci',
      `--log-error=${errorLog}`,
    ], { stdio: 'ignore' });
    // Unref'd so an idle parent can still exit; the 'exit' hook below then kills the server.
    child.unref();
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => resolve(`process exited (code ${code}, signal ${signal})`));
      child.once('error', (err) => resolve(`failed to spawn: ${err.message}`));
    });
    const killOnExit = () => {
      child.kill('SIGKILL');
      if (fresh) rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
      if (!socket.startsWith(dataDir)) rmSync(socket, { force: true });
    };
    onParentExit.add(killOnExit);

    const ready = await waitReady(port, exited);
    if (ready !== true) {
      onParentExit.delete(killOnExit);
      child.kill('SIGKILL');
      await exited;
      const tail = logTail(errorLog);
      if (attempt < 3 && /Bind on TCP\/IP port|Address already in use/.test(tail)) continue;
      throw new Error(`mariadbd did not accept connections on port ${port}: ${ready}\n--- ${errorLog} (tail) ---\n${tail}`);
    }
    log(`mariadb: ready on port ${port} after ${Date.now() - started} ms`);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        onParentExit.delete(killOnExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          let timer: NodeJS.Timeout | undefined;
          const timedOut = await Promise.race([
            exited.then(() => false),
            new Promise<boolean>((r) => (timer = setTimeout(() => r(true), STOP_TIMEOUT_MS))),
          ]);
          clearTimeout(timer);
          if (timedOut) {
            log('mariadb: graceful shutdown timed out, sending SIGKILL');
            child.kill('SIGKILL');
            await exited;
          }
        }
        if (fresh) rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 });
        if (!socket.startsWith(dataDir)) rmSync(socket, { force: true });
      })());
    return { url: `mysql://root@127.0.0.1:${port}`, managed: true, stop };
  }
}

/** Resolves true once a root login succeeds, or a reason string on crash/timeout. */
async function waitReady(port: number, exited: Promise<string>): Promise<true | string> {
  let dead: string | undefined;
  void exited.then((why) => (dead = why));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'timed out';
  while (Date.now() < deadline) {
    if (dead) return dead;
    try {
      const conn = await createConnection({ host: '127.0.0.1', port, user: 'root', password: '', connectTimeout: 2000 });
      await conn.end();
      return true;
    } catch (err) {
      lastError = `timed out after ${READY_TIMEOUT_MS} ms (last error: ${(err as Error).message})`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return lastError;
}

async function findOrInstallBinaries(isRoot: boolean, log: (msg: string) => void) {
  const find = async () => ({
    server: await findBinary(['mariadbd', 'mysqld']),
    installDb: await findBinary(['mariadb-install-db', 'mysql_install_db']),
  });
  let found = await find();
  if (found.server && found.installDb) return found as { server: string; installDb: string };
  if (!isRoot) {
    throw new Error(
      'MariaDB server binaries (mariadbd, mariadb-install-db) not found. Install Debian\'s mariadb-server ' +
        '(sudo apt-get install mariadb-server) or set DATABASE_URL to an existing MariaDB/MySQL server.',
    );
  }
  log('mariadb: mariadb-server not found, installing it with apt-get (this can take a minute)...');
  await run('apt-get', ['update'], { maxBuffer: 64 << 20 });
  // `env` sets the variable for apt-get without this module touching process.env.
  await run('env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', 'mariadb-server'], { maxBuffer: 64 << 20 });
  log('mariadb: mariadb-server installed');
  found = await find();
  if (found.server && found.installDb) return found as { server: string; installDb: string };
  throw new Error('apt-get installed mariadb-server but mariadbd / mariadb-install-db are still not found');
}

async function findBinary(names: string[]): Promise<string | undefined> {
  for (const name of names) {
    // Let the shell search PATH so this module never reads process.env.
    const onPath = await run('sh', ['-c', 'command -v "$1"', 'sh', name]).then((r) => r.stdout.trim(), () => '');
    if (path.isAbsolute(onPath)) return onPath;
    for (const dir of FALLBACK_DIRS) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch { /* keep looking */ }
    }
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd(); // e.g. compiled outside the repo
  }
}

function logTail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no error log)';
  }
}
