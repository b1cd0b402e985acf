/**
 * createTestApp: a per-file database built by the real migrations, the service on a free port,
 * and the three simulators wired to it by signed webhooks — data enters as in production.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { createConnection } from 'mysql2/promise';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { App, createApp } from '../../src/app';
import type { TestHooks } from '../../src/db/context';
import { Config, loadConfig } from '../../src/config';
import { createAppDataSource } from '../../src/modules';
import { DatabaseServer, ensureDatabaseServer } from '../../scripts/lib/local-server';
import { createLogger } from '../../src/logger';
import { Clock } from '../../src/shared/clock';
import { Simulators, startSimulators } from '../../src/simulators';

let sharedServer: Promise<DatabaseServer> | undefined;

/** The server the runner started (MG_TEST_SERVER_URL), or one of our own when a file runs alone. */
function testServer(): Promise<DatabaseServer> {
  sharedServer ??= ensureDatabaseServer(process.env.MG_TEST_SERVER_URL || process.env.DATABASE_URL);
  return sharedServer;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The new database's default character set: utf8mb4 (utf8mb4_unicode_ci) unless told, or latin1 as on a stock server. */
export type TestDatabaseCharset = 'utf8mb4' | 'latin1';
const DATABASE_DEFAULTS: Record<TestDatabaseCharset, string> = {
  utf8mb4: 'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
  latin1: 'CHARACTER SET latin1 COLLATE latin1_swedish_ci',
};

export async function createTestDatabase(opts: { charset?: TestDatabaseCharset } = {}): Promise<TestDatabase> {
  const server = await testServer();
  const name = `mgt_${process.pid}_${randomBytes(4).toString('hex')}`;
  const base = new URL(server.url);
  const conn = await createConnection({
    host: base.hostname,
    port: Number(base.port || 3306),
    user: decodeURIComponent(base.username || 'root'),
    password: decodeURIComponent(base.password),
  });
  await conn.query(`CREATE DATABASE \`${name}\` ${DATABASE_DEFAULTS[opts.charset ?? 'utf8mb4']}`);
  await conn.end();
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = await createConnection({
        host: base.hostname,
        port: Number(base.port || 3306),
        user: decodeURIComponent(base.username || 'root'),
        password: decodeURIComponent(base.password),
      });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

export async function migratedDataSource(url: string): Promise<DataSource> {
  const ds = createAppDataSource(url);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

export interface TestApp {
  app: App;
  url: string;
  config: Config;
  db: TestDatabase;
  dataSource: DataSource;
  sims: Simulators;
  /** Failures to stand in at named places of the service (given to createApp; set and clear them per test). */
  testHooks: TestHooks;
  http: ReturnType<typeof supertest>;
  /** POST /graphql as a role (SUPPORT, ANALYST, FINANCE, ADMIN) or with no credential (null). */
  gql<T = any>(role: Role | null, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  close(): Promise<void>;
}

export type Role = 'SUPPORT' | 'ANALYST' | 'FINANCE' | 'ADMIN';
export interface GqlResult<T> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: Record<string, any>; path?: (string | number)[] }[];
  extensions?: Record<string, any>;
}

export const DEMO_KEYS: Record<Role, string> = {
  SUPPORT: 'demo-support-key',
  ANALYST: 'demo-analyst-key',
  FINANCE: 'demo-finance-key',
  ADMIN: 'demo-admin-key',
};

export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    config?: Partial<Config>;
    clock?: Clock;
    workers?: boolean;
    /** e.g. one writing to a captured stream */ logger?: Logger;
    /** A second service instance on the first one's database and simulators (webhooks keep going to the first). */
    shareWith?: TestApp;
    /** The default character set of the database the migrations run on (ignored with shareWith). */
    charset?: TestDatabaseCharset;
  } = {},
): Promise<TestApp> {
  const shared = opts.shareWith;
  const db = shared ? shared.db : await createTestDatabase({ charset: opts.charset });
  const dataSource = shared ? await createAppDataSource(db.url).initialize() : await migratedDataSource(db.url);
  const secrets = { OMS: 'test-oms-secret-0123456789', PSP: 'test-psp-secret-0123456789', ERP: 'test-erp-secret-0123456789' };
  // Upstream systems keep the same time as the service (records carry the upstream's own timestamps).
  const clock = opts.clock;
  const sims = shared ? shared.sims : await startSimulators({ secrets, clock: clock ? () => clock.now() : undefined });
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.MG_TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: db.url,
      WEBHOOK_SECRET_OMS: secrets.OMS,
      WEBHOOK_SECRET_PSP: secrets.PSP,
      WEBHOOK_SECRET_ERP: secrets.ERP,
      OMS_BASE_URL: sims.urls.oms,
      PSP_BASE_URL: sims.urls.psp,
      ERP_BASE_URL: sims.urls.erp,
      UPSTREAM_TIMEOUT_MS: '1000',
      ...opts.env,
    },
    opts.config,
  );
  const testHooks: TestHooks = {};
  const app = await createApp({ config, dataSource, logger: opts.logger ?? createLogger(config.logLevel), clock: opts.clock, testHooks });
  await new Promise<void>((r) => app.server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  if (!shared) sims.setServiceUrl(url);
  if (opts.workers) app.startWorkers();
  const http = supertest(app.server);
  return {
    app,
    url,
    config,
    db,
    dataSource,
    sims,
    testHooks,
    http,
    async gql(role, query, variables) {
      // As current GraphQL clients ask: request errors then keep their 4xx status (src/graphql/http-status.ts).
      const req = http.post('/graphql').set('Content-Type', 'application/json').set('Accept', 'application/graphql-response+json, application/json;q=0.9');
      if (role) req.set('Authorization', `Bearer ${DEMO_KEYS[role]}`);
      const res = await req.send({ query, variables });
      return { status: res.status, ...(res.body as object) } as GqlResult<any>;
    },
    async close() {
      await app.stop();
      if (!shared) await sims.close();
      await dataSource.destroy();
      if (!shared) await db.drop();
    },
  };
}

/** Closes the shared database server this process started, if any (call from an `after` hook). */
export async function stopTestServer(): Promise<void> {
  if (sharedServer) await (await sharedServer).stop();
  sharedServer = undefined;
}
