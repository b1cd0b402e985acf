import type { DataSource } from 'typeorm';
import { STATEMENT_SEPARATOR } from '../../src/db/pipeline';

/** What the data source sends while `fn` runs, one entry per round trip: its statements (transaction control included). */
export async function packetsSent(dataSource: DataSource, fn: () => Promise<unknown>): Promise<string[][]> {
  const logger = dataSource.logger as { logQuery(q: string): void };
  const original = logger.logQuery;
  const seen: string[][] = [];
  logger.logQuery = function (q: string) {
    seen.push(q.split(STATEMENT_SEPARATOR));
    return original.call(this, q);
  };
  try {
    await fn();
  } finally {
    logger.logQuery = original;
  }
  return seen;
}
