/**
 * A private MariaDB for development, the demo and benchmarks (never for production: `npm start`
 * needs DATABASE_URL): the server on its own data directory and port, with the application
 * database created in utf8mb4.
 */
import { createConnection } from 'mysql2/promise';
import { DatabaseServer, ensureDatabaseServer } from './local-server';

export interface DevDatabase {
  /** DATABASE_URL of the application database inside the private server. */
  url: string;
  server: DatabaseServer;
  stop(): Promise<void>;
}

export async function startDevDatabase(opts: { dataDir: string; fresh: boolean; log?: (m: string) => void }): Promise<DevDatabase> {
  const server = await ensureDatabaseServer(undefined, { dataDir: opts.dataDir, fresh: opts.fresh, log: opts.log });
  const u = new URL(server.url);
  const c = await createConnection({ host: u.hostname, port: Number(u.port), user: 'root' });
  try {
    await c.query('CREATE DATABASE IF NOT EXISTS moneygraph CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
  } finally {
    await c.end();
  }
  u.pathname = '/moneygraph';
  return { url: u.toString(), server, stop: () => server.stop() };
}
