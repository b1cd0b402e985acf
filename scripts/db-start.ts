/**
 * `npm run db:start`: a private MariaDB for development (data kept in .data/mariadb-dev), with
 * the application database created and migrated. Prints DATABASE_URL; Ctrl-C stops it.
 */
import 'reflect-metadata';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createDataSource } from '../src/db/data-source';
import { ensureDatabaseServer } from '../src/db/local-server';

async function main(): Promise<void> {
  const server = await ensureDatabaseServer(undefined, {
    dataDir: path.resolve(__dirname, '..', '..', '.data', 'mariadb-dev'),
    fresh: false,
    log: (m) => console.log(m),
  });
  const u = new URL(server.url);
  const c = await createConnection({ host: u.hostname, port: Number(u.port), user: 'root' });
  await c.query('CREATE DATABASE IF NOT EXISTS moneygraph CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
  await c.end();
  u.pathname = '/moneygraph';
  const ds = createDataSource(u.toString());
  await ds.initialize();
  const ran = await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  console.log(`${ran.length} migration(s) applied.\n\nexport DATABASE_URL=${u.toString()}\n\nCtrl-C stops the server.`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
