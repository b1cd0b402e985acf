import 'reflect-metadata';
import path from 'node:path';
import * as mysql2 from 'mysql2';
import { DataSource, DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './naming';
import { assertOneStatement } from './pipeline';
import { CountingLogger } from './sql-counter';

/** Compiled migrations live beside the compiled sources: dist/migrations/*.js. */
const MIGRATIONS_GLOB = path.join(__dirname, '..', '..', 'migrations', '*.js');

/**
 * mysql2 with every pooled connection set to READ COMMITTED as it is opened (before it serves any
 * statement: a connection runs its commands in order), so a transaction needs no `SET TRANSACTION`
 * round trip of its own. A connection the statement fails on is destroyed, never used.
 */
const readCommittedMysql = {
  ...mysql2,
  createPool(options: mysql2.PoolOptions) {
    const pool = mysql2.createPool(options);
    pool.on('connection', (c) => {
      // One statement per SQL text, but for the batches of queued writes (src/db/pipeline.ts).
      const query = c.query.bind(c) as (...args: unknown[]) => unknown;
      (c as unknown as { query: (...args: unknown[]) => unknown }).query = (sql: unknown, ...rest: unknown[]) => {
        assertOneStatement(typeof sql === 'string' ? sql : ((sql as { sql?: string })?.sql ?? ''));
        return query(sql, ...rest);
      };
      c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (err) => {
        if (err) c.destroy();
      });
    });
    return pool;
  },
};

/** `entities`: every module's (the composition root's ENTITIES). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function dataSourceOptions(url: string, entities: Function[], extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
    driver: readCommittedMysql,
    connectorPackage: 'mysql2',
    url,
    entities,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    timezone: 'Z',
    // The connection's collation is the tables' (src/db/columns.ts): literals and expressions compare as the columns do.
    charset: 'utf8mb4_bin',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: false,
    // A transaction's queued writes travel with its next statement (src/db/pipeline.ts). Any other
    // SQL text with a semicolon is refused before it is sent (readCommittedMysql above).
    multipleStatements: true,
    poolSize: 20,
    logger: new CountingLogger(),
    extra: { connectionLimit: 20, waitForConnections: true, queueLimit: 0 },
    ...extra,
  } as DataSourceOptions;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function createDataSource(url: string, entities: Function[], extra: Partial<DataSourceOptions> = {}): DataSource {
  return new DataSource(dataSourceOptions(url, entities, extra));
}
