/**
 * `npm run settlements -- [--since <ISO time>]`
 *
 * Records the settlement batches the PSPs that list them (Stripe: paid payouts and their balance
 * transactions) closed since the given time (default: 7 days ago) and that are not recorded yet —
 * the backup of the `payout.paid` webhook, against the service's database (DATABASE_URL) and the
 * configured PSP adapters. Prints each batch recorded. Exit code 0 when done, 4 when a PSP could
 * not be asked, 3 for bad input or configuration.
 */
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { EXIT, printHelp } from './lib/cli';
import { ConfigError, loadConfig } from '../src/config';
import { RequestContext } from '../src/db/context';
import { createAppDataSource, createServices } from '../src/modules';
import { createLogger } from '../src/logger';
import { Role } from '../src/shared/actor';
import { systemClock } from '../src/shared/clock';
import { pullSettlements } from '../src/systems/psp';

const USAGE = 'usage: npm run settlements -- [--since <ISO time>]';
const WEEK_MS = 7 * 86_400_000;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { since: { type: 'string' }, help: { type: 'boolean', default: false } }, strict: true }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return EXIT.USAGE;
  }
  if (values.help) return printHelp(USAGE);
  const since = values.since === undefined ? new Date(Date.now() - WEEK_MS) : new Date(values.since);
  if (Number.isNaN(since.getTime())) {
    console.error(`--since must be an ISO time, e.g. 2026-12-01T00:00:00Z\n${USAGE}`);
    return EXIT.USAGE;
  }
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError("Set DATABASE_URL to the service's database");
  const dataSource = createAppDataSource(config.databaseUrl, { poolSize: 2, extra: { connectionLimit: 2 } });
  await dataSource.initialize();
  try {
    const app = createServices({ config, dataSource, logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel), clock: systemClock });
    const ctx = new RequestContext(app, { subject: `cli:${userInfo().username}`.slice(0, 128), role: Role.SYSTEM, kind: 'system' });
    const recorded = await pullSettlements(ctx, since);
    for (const id of recorded) console.log(`recorded settlement ${id}`);
    console.log(`${recorded.length} settlement batch(es) recorded since ${since.toISOString()}`);
    return EXIT.OK;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
    process.exit(err instanceof ConfigError ? EXIT.USAGE : EXIT.FAILURE);
  },
);
