/** `npm start`: the service alone, against its database (DATABASE_URL) and the configured upstream systems. */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { startService } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const svc = await startService(config);
  svc.app.services.logger.info({ url: `${svc.url}/graphql` }, 'moneygraph listening');
  const shutdown = async () => {
    await svc.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
