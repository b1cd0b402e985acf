import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Counts SQL statements per async scope. Tests use it to prove that a query's statement count
 * depends on its shape, not on how many rows it returns.
 */
export const sqlScope = new AsyncLocalStorage<{ count: number; statements?: string[] }>();

export function countStatements<T>(fn: () => Promise<T>, keep = false): Promise<{ result: T; count: number; statements: string[] }> {
  const scope = { count: 0, statements: keep ? [] as string[] : undefined };
  return sqlScope.run(scope, async () => {
    const result = await fn();
    return { result, count: scope.count, statements: scope.statements ?? [] };
  });
}

export class CountingLogger implements TypeOrmLogger {
  constructor(private readonly onError?: (msg: string, err: unknown) => void) {}
  logQuery(query: string): void {
    const s = sqlScope.getStore();
    if (!s) return;
    if (/^(START TRANSACTION|COMMIT|ROLLBACK|SET TRANSACTION)/i.test(query)) return;
    s.count++;
    s.statements?.push(query);
  }
  logQueryError(error: string | Error, query: string): void {
    this.onError?.(`query failed: ${query.slice(0, 200)}`, error);
  }
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
