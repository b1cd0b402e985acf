/**
 * Fault points (tests only): named places in the refund lifecycle, the webhook path and the outbox
 * where the fault campaign (test/campaign) makes the process die or the database fail, driven by
 * TEST_FAULT_POINTS (parsed in src/config, refused unless NODE_ENV=test).
 *
 *   await faultPoint(ctx, 'refund.outcome', tx);
 *
 * - crash:   SIGKILL of this process, at once: a real kill -9, nothing flushed, no handler run.
 * - dberror: a statement that really fails in the given transaction, so the driver's error travels
 *            the path a storage error would (and the transaction rolls back).
 * Each rule acts once, on the N-th hit of its point in this process's life. Without rules (every
 * environment but a campaign's service) a fault point is a counter increment.
 */
import type { Config, FaultPointName } from '../config';

interface WithManager {
  manager: { query(sql: string, params?: unknown[]): Promise<unknown> };
}
type ConfigSource = Config | { config: Config } | { app: { config: Config } };

const hits = new Map<FaultPointName, number>();

function configOf(src: ConfigSource): Config {
  if ('app' in src) return src.app.config;
  if ('config' in src) return src.config;
  return src;
}

/** How many times each point was reached in this process (for tests). */
export function faultPointHits(name: FaultPointName): number {
  return hits.get(name) ?? 0;
}

export async function faultPoint(src: ConfigSource, name: FaultPointName, tx?: WithManager): Promise<void> {
  const rules = configOf(src).faultPoints;
  if (!rules || rules.length === 0) return;
  const n = (hits.get(name) ?? 0) + 1;
  hits.set(name, n);
  for (const rule of rules) {
    if (rule.point !== name || rule.hit !== n) continue;
    if (rule.action === 'crash') {
      process.kill(process.pid, 'SIGKILL');
      // The signal is delivered at once; never let the caller go on meanwhile.
      await new Promise<never>(() => undefined);
    }
    if (!tx) throw new Error(`fault point ${name}: dberror needs the transaction it runs in`);
    await tx.manager.query('SELECT 1 FROM injected_fault_no_such_table');
  }
}
