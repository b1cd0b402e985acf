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

export async function startService(config: Config, opts: { port?: number } = {}): Promise<RunningService> {
  const url = config.databaseUrl;
  if (!url) {
    throw new ConfigError(
      'DATABASE_URL is not set: moneygraph needs its MariaDB/MySQL database (mysql://user:password@host:3306/moneygraph). ' +
        'For development, `npm run db:start` starts a private one and prints its URL; `npm run demo` runs everything with demo data.',
    );
  }
  const logger = createLogger(config.logLevel);
  const dataSource = createAppDataSource(url);
  await dataSource.initialize();
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
