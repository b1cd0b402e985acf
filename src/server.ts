/** Boots the service: database (a private one when DATABASE_URL is unset), migrations, HTTP. */
import { AddressInfo } from 'node:net';
import { App, createApp } from './app';
import { Config } from './config';
import { createDataSource } from './db/data-source';
import { DatabaseServer, ensureDatabaseServer } from './db/local-server';
import { createLogger } from './logger';

export interface RunningService {
  app: App;
  url: string;
  db: DatabaseServer;
  stop(): Promise<void>;
}

export async function startService(config: Config, opts: { dataDir?: string; freshDb?: boolean; port?: number } = {}): Promise<RunningService> {
  const logger = createLogger(config.logLevel);
  const db = await ensureDatabaseServer(config.databaseUrl, {
    dataDir: opts.dataDir,
    fresh: opts.freshDb,
    log: (m) => logger.info(m),
  });
  let url = db.url;
  if (db.managed) {
    // A private server starts empty: the application database lives inside it.
    const { createConnection } = await import('mysql2/promise');
    const u = new URL(db.url);
    const c = await createConnection({ host: u.hostname, port: Number(u.port), user: 'root' });
    await c.query('CREATE DATABASE IF NOT EXISTS moneygraph CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
    await c.end();
    u.pathname = '/moneygraph';
    url = u.toString();
  }
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  if (config.migrateOnStart) {
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    if (ran.length) logger.info({ migrations: ran.map((m) => m.name) }, 'migrations applied');
  }
  const app = await createApp({ config: { ...config, databaseUrl: url }, dataSource, logger });
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
    db,
    async stop() {
      await app.stop();
      await dataSource.destroy();
      await db.stop();
    },
  };
}
