/**
 * `npm run db:start`: a private MariaDB for development (data kept in .data/mariadb-dev), with
 * the application database created and migrated. Prints DATABASE_URL; Ctrl-C stops it.
 */
import 'reflect-metadata';
import path from 'node:path';
import { createAppDataSource } from '../src/modules';
import { startDevDatabase } from './lib/dev-database';

async function main(): Promise<void> {
  const db = await startDevDatabase({ dataDir: path.resolve(__dirname, '..', '..', '.data', 'mariadb-dev'), fresh: false, log: (m) => console.log(m) });
  const ds = createAppDataSource(db.url);
  await ds.initialize();
  const ran = await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  console.log(`${ran.length} migration(s) applied.\n\nexport DATABASE_URL=${db.url}\n\nCtrl-C stops the server.`);
  const stop = async () => {
    await db.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
