/**
 * The per-caller cost budget shared by every replica: each caller's token bucket is a row of
 * `graphql_budget` on the service's own database, refilled and taken from by one atomic
 * INSERT … ON DUPLICATE KEY UPDATE … RETURNING (MariaDB 10.5 or later), so N replicas grant one
 * budget, not N, and a restart refills nothing.
 *
 * When the store fails or is slow (an error, or no answer within STORE_TIMEOUT_MS) the replica
 * meters the caller on its own in-memory bucket instead and logs it: the caller never goes
 * unmetered, and the API does not go down with the budget table (see docs/adr/0005).
 */
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Clock } from '../shared/clock';
import { BucketLimits, CostBudget, TakeResult, ThrottleStatus } from './budget';

/** How long a take or peek may wait for the store before the replica meters on its own. */
const STORE_TIMEOUT_MS = 1_000;
/** At most one warning per this many ms while the store keeps failing. */
const WARN_EVERY_MS = 10_000;

export interface BudgetStore {
  take(key: string, cost: number, limits: BucketLimits): Promise<TakeResult>;
  /** Whether this replica's last answer from the store for `key` says a take of `cost` fits now. */
  likelyGrants(key: string, cost: number, limits: BucketLimits): boolean;
  peek(key: string, limits: BucketLimits): Promise<ThrottleStatus>;
}

/** The bucket after refilling it to now: `level` as stored plus what `elapsed` restored, capped at the budget. */
const REFILLED = 'LEAST(?, `level` + GREATEST(0, ? - `updated_ms`) / 1000 * ?)';

const TAKE_SQL =
  'INSERT INTO `graphql_budget` (`caller`, `level`, `updated_ms`, `granted`) VALUES (?, ?, ?, ?) ' +
  'ON DUPLICATE KEY UPDATE ' +
  // Assignments run left to right: `granted` is decided on the refilled level, then `level` uses it.
  `\`granted\` = ${REFILLED} >= ?, ` +
  `\`level\` = ${REFILLED} - IF(\`granted\`, ?, 0), ` +
  '`updated_ms` = GREATEST(`updated_ms`, ?) ' +
  'RETURNING `level`, `granted`';

function status(level: number, limits: BucketLimits): ThrottleStatus {
  return { maximumAvailable: limits.budget, currentlyAvailable: Math.max(0, Math.floor(level)), restoreRate: limits.restorePerSecond };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the budget store did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class SharedCostBudget implements BudgetStore {
  private readonly local: CostBudget;
  /**
   * Each caller's bucket as the store last answered it, refilled and taken from here as takes go
   * out: a guess of what the next take will answer, never what is charged. A caller this replica
   * has not heard of is guessed full.
   */
  private readonly seen: CostBudget;
  private lastWarnAt = -Infinity;
  private failuresSinceWarn = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeoutMs = STORE_TIMEOUT_MS,
  ) {
    this.local = new CostBudget(clock);
    this.seen = new CostBudget(clock);
  }

  likelyGrants(key: string, cost: number, limits: BucketLimits): boolean {
    return this.seen.take(key, cost, limits).ok;
  }

  async take(key: string, cost: number, limits: BucketLimits): Promise<TakeResult> {
    const taken = await this.takeFromStore(key, cost, limits);
    this.seen.set(key, taken.status.currentlyAvailable, limits);
    return taken;
  }

  private async takeFromStore(key: string, cost: number, limits: BucketLimits): Promise<TakeResult> {
    const now = this.clock.now().getTime();
    const { budget, restorePerSecond: rate } = limits;
    try {
      const fits = cost <= budget;
      const rows: { level: number; granted: number }[] = await withTimeout(
        this.dataSource.query(TAKE_SQL, [key, fits ? budget - cost : budget, now, fits ? 1 : 0, budget, now, rate, cost, budget, now, rate, cost, now]),
        this.timeoutMs,
      );
      const row = rows[0];
      if (!row) throw new Error('the budget store returned no row');
      const level = Number(row.level);
      if (Number(row.granted) === 1) return { ok: true, status: status(level, limits) };
      return { ok: false, status: status(level, limits), retryAfterSeconds: Math.max(1, Math.ceil((cost - level) / rate)) };
    } catch (err) {
      this.storeFailed(err);
      return this.local.take(key, cost, limits);
    }
  }

  async peek(key: string, limits: BucketLimits): Promise<ThrottleStatus> {
    const now = this.clock.now().getTime();
    try {
      const rows: { level: number; updated_ms: string | number }[] = await withTimeout(
        this.dataSource.query('SELECT `level`, `updated_ms` FROM `graphql_budget` WHERE `caller` = ?', [key]),
        this.timeoutMs,
      );
      const row = rows[0];
      if (!row) return status(limits.budget, limits);
      const elapsed = Math.max(0, now - Number(row.updated_ms));
      return status(Math.min(limits.budget, Number(row.level) + (elapsed / 1000) * limits.restorePerSecond), limits);
    } catch (err) {
      this.storeFailed(err);
      return this.local.peek(key, limits);
    }
  }

  private storeFailed(err: unknown): void {
    this.failuresSinceWarn++;
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) return;
    this.logger.warn({ err, failures: this.failuresSinceWarn }, 'the shared GraphQL budget store failed: metering on this replica alone until it answers again');
    this.lastWarnAt = now;
    this.failuresSinceWarn = 0;
  }
}
