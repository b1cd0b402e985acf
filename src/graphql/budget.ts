/**
 * Per-actor cost budget: a token bucket per (role, subject), as Shopify and GitHub meter their
 * GraphQL APIs. Each operation takes its cost up front; the bucket refills continuously. These
 * in-memory buckets are what a replica meters on while the shared store (budget-store.ts) fails.
 */
import { Clock } from '../shared/clock';

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface BucketLimits {
  budget: number;
  restorePerSecond: number;
}

export type TakeResult = { ok: true; status: ThrottleStatus } | { ok: false; status: ThrottleStatus; retryAfterSeconds: number };

interface Bucket {
  level: number;
  at: number;
  /** When the bucket will be full again: past that it can be forgotten. */
  fullAt: number;
}

/** Buckets that have refilled to the top carry no information: past this many they are dropped. */
const SWEEP_ABOVE = 10_000;

export class CostBudget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  private refill(key: string, limits: BucketLimits): Bucket {
    const now = this.clock.now().getTime();
    const b = this.buckets.get(key);
    const level = b ? Math.min(limits.budget, b.level + ((now - b.at) / 1000) * limits.restorePerSecond) : limits.budget;
    return { level, at: now, fullAt: now + ((limits.budget - level) / limits.restorePerSecond) * 1000 };
  }

  private status(b: Bucket, limits: BucketLimits): ThrottleStatus {
    return { maximumAvailable: limits.budget, currentlyAvailable: Math.floor(b.level), restoreRate: limits.restorePerSecond };
  }

  /** What the actor has now, without taking anything. */
  peek(key: string, limits: BucketLimits): ThrottleStatus {
    return this.status(this.refill(key, limits), limits);
  }

  /** Takes `cost` if the bucket holds it; otherwise takes nothing and says when it will. */
  take(key: string, cost: number, limits: BucketLimits): TakeResult {
    const b = this.refill(key, limits);
    if (b.level < cost) {
      this.buckets.set(key, b);
      return { ok: false, status: this.status(b, limits), retryAfterSeconds: Math.max(1, Math.ceil((cost - b.level) / limits.restorePerSecond)) };
    }
    b.level -= cost;
    b.fullAt += (cost / limits.restorePerSecond) * 1000;
    this.buckets.set(key, b);
    if (this.buckets.size > SWEEP_ABOVE) this.sweep();
    return { ok: true, status: this.status(b, limits) };
  }

  /** Sets the bucket to `level` as of now (a replica's copy of what the shared store answered). */
  set(key: string, level: number, limits: BucketLimits): void {
    const now = this.clock.now().getTime();
    const capped = Math.max(0, Math.min(limits.budget, level));
    this.buckets.set(key, { level: capped, at: now, fullAt: now + ((limits.budget - capped) / limits.restorePerSecond) * 1000 });
    if (this.buckets.size > SWEEP_ABOVE) this.sweep();
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [k, b] of this.buckets) if (b.fullAt <= now) this.buckets.delete(k);
  }

  get size(): number {
    return this.buckets.size;
  }
}
