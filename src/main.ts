/** `npm start`: the service alone, against its database (DATABASE_URL) and the configured upstream systems. */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { startService, stopOnSignals } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const svc = await startService(config);
  stopOnSignals(svc);
  svc.app.services.logger.info({ url: `${svc.url}/graphql` }, 'moneygraph listening');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
