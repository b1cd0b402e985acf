import { Logger as TypeOrmLogger } from 'typeorm';
import { truncate } from '../shared/text';
import { STATEMENT_SEPARATOR } from './pipeline';

/**
 * Counts SQL statements. Tests use it to prove that a query's statement count depends on its
 * shape, not on how many rows it returns. The count is process-wide (a request served by the
 * in-process HTTP server runs outside the caller's async context), so measure while nothing
 * else is running.
 */
const totals = { count: 0 };
const BUDGET_STATEMENT = /^(INSERT INTO|SELECT .* FROM) `graphql_budget`/;

export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; count: number }> {
  const before = totals.count;
  const result = await fn();
  return { result, count: totals.count - before };
}

export class CountingLogger implements TypeOrmLogger {
  constructor(private readonly onError?: (msg: string, err: unknown) => void) {}
  logQuery(query: string): void {
    // A packet of several statements (src/db/pipeline.ts) counts each of them.
    for (const statement of query.split(STATEMENT_SEPARATOR)) {
      if (/^\s*(START TRANSACTION|COMMIT|ROLLBACK|SET TRANSACTION)/i.test(statement)) continue;
      // The caller's cost budget (src/graphql/budget-store.ts): one statement per request, whatever its shape.
      if (BUDGET_STATEMENT.test(statement)) continue;
      totals.count++;
    }
  }
  logQueryError(error: string | Error, query: string): void {
    this.onError?.(`query failed: ${truncate(query, 200)}`, error);
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
