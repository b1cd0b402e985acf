/** `npm start`: the service alone, against its database (DATABASE_URL) and the configured upstream systems. */
import { shutdownTracing, tracing } from './tracing-bootstrap'; // first: tracing starts before the instrumented modules load
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { startService, stopOnSignals } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const svc = await startService(config);
  stopOnSignals(svc, shutdownTracing);
  if (tracing) svc.app.services.logger.info(tracing, 'tracing on: spans are exported');
  svc.app.services.logger.info({ url: `${svc.url}/graphql` }, 'moneygraph listening');
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
