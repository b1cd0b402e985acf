/** Boots the service against its database (DATABASE_URL): migrations when asked, HTTP, workers. */
import { AddressInfo } from 'node:net';
import { App, createApp } from './app';
import { Config, ConfigError } from './config';
import { createAppDataSource } from './modules';
import { createLogger } from './logger';

export interface RunningService {
  app: App;
  url: string;
  stop(): Promise<void>;
}

/**
 * SIGTERM or SIGINT: /readyz answers 503 at once; after SHUTDOWN_DELAY_MS the listener stops taking
 * connections while in-flight requests and the workers' current rounds finish; the workers stop, then
 * `after` runs (closing what the caller opened), and the process exits 0 — or 1 when that took longer
 * than SHUTDOWN_TIMEOUT_MS. Each step is logged. A second signal during the shutdown is ignored.
 */
export function stopOnSignals(svc: RunningService, after: () => Promise<void> = async () => undefined): void {
  const log = svc.app.services.logger;
  const { timeoutMs, delayMs } = svc.app.services.config.shutdown;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return void log.warn({ signal }, 'shutdown: already stopping');
    stopping = true;
    const started = Date.now();
    const ms = () => Date.now() - started;
    svc.app.beginShutdown();
    log.info({ signal, delayMs, timeoutMs }, 'shutdown: readiness answers 503');
    const timer = setTimeout(() => {
      log.error({ ms: ms() }, `shutdown: not finished after SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); exiting`);
      process.exit(1);
    }, delayMs + timeoutMs);
    timer.unref();
    void (async () => {
      try {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        log.info({ ms: ms() }, 'shutdown: listener closed; waiting for in-flight requests and worker rounds');
        await svc.stop();
        log.info({ ms: ms() }, 'shutdown: requests finished, workers stopped, database pool closed');
        await after();
        log.info({ ms: ms() }, 'shutdown: done');
        process.exit(0);
      } catch (err) {
        log.error({ err, ms: ms() }, 'shutdown: failed');
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function hostOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '3306'}${u.pathname}`;
}

/** The driver's reason in one line (its code and message), never a stack. */
function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return [e.code, e.message?.split('\n')[0]].filter(Boolean).join(' — ') || 'unknown error';
}

export async function startService(config: Config, opts: { port?: number } = {}): Promise<RunningService> {
  const url = config.databaseUrl;
  if (!url) {
    throw new ConfigError(
      'DATABASE_URL is not set: moneygraph needs its MariaDB/MySQL database (mysql://user:password@host:3306/moneygraph). ' +
        'For development, `npm run db:start` starts a private one and prints its URL; `npm run demo` runs everything with demo data.',
    );
  }
  const logger = createLogger(config.logLevel);
  const missing = (['OMS', 'PSP', 'ERP'] as const).filter((s) => !config.upstream[`${s.toLowerCase() as 'oms' | 'psp' | 'erp'}BaseUrl`]);
  if (missing.length) {
    const what = `${missing.map((s) => `${s}_BASE_URL`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set: refunds, syncOrder and the outbox cannot reach ${missing.join(', ')}`;
    if (config.env === 'production') throw new ConfigError(what);
    logger.warn(`${what} (allowed outside production)`);
  }
  const dataSource = createAppDataSource(url);
  try {
    await dataSource.initialize();
  } catch (err) {
    throw new ConfigError(`DATABASE_URL: cannot connect to the database at ${hostOf(url)}: ${reasonOf(err)}`);
  }
  if (config.migrateOnStart) {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    if (ran.length) logger.info({ migrations: ran.map((m) => m.name) }, 'migrations applied');
  }
  const app = await createApp({ config, dataSource, logger });
  const port = opts.port ?? config.port;
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(port, config.host, () => resolve());
  });
  const addr = app.server.address() as AddressInfo;
  app.startWorkers();
  return {
    app,
    url: `http://${config.host}:${addr.port}`,
    async stop() {
      await app.stop();
      await dataSource.destroy();
    },
  };
}
