/**
 * Per-role GraphQL limits: the defaults and the parser of GRAPHQL_LIMITS (JSON overrides per
 * role). Pure, so src/config can validate them once at start-up.
 */
import { z } from 'zod';

export type ApiRole = 'SUPPORT' | 'ANALYST' | 'FINANCE' | 'ADMIN';
export const API_ROLES: readonly ApiRole[] = ['SUPPORT', 'ANALYST', 'FINANCE', 'ADMIN'];

export interface RoleLimits {
  /** Deepest nesting of selections (introspection subtrees excluded). */
  maxDepth: number;
  /** Aliased fields in one operation, counted through fragment spreads. */
  maxAliases: number;
  /** Highest cost of one operation (the README's "Security" section has the cost model). */
  maxCost: number;
  /** Capacity of the actor's cost bucket. */
  budget: number;
  /** Cost points the bucket regains per second. */
  restorePerSecond: number;
  /** Execution time after which the operation is answered with TIMEOUT. */
  timeoutMs: number;
}

/** Analysts run ad-hoc queries over thousands of orders: they get the larger budget. */
export const DEFAULT_ROLE_LIMITS: Readonly<Record<ApiRole, RoleLimits>> = {
  SUPPORT: { maxDepth: 10, maxAliases: 30, maxCost: 2_500, budget: 5_000, restorePerSecond: 250, timeoutMs: 10_000 },
  ANALYST: { maxDepth: 12, maxAliases: 100, maxCost: 50_000, budget: 100_000, restorePerSecond: 2_000, timeoutMs: 30_000 },
  FINANCE: { maxDepth: 10, maxAliases: 50, maxCost: 10_000, budget: 20_000, restorePerSecond: 500, timeoutMs: 30_000 },
  ADMIN: { maxDepth: 10, maxAliases: 50, maxCost: 10_000, budget: 20_000, restorePerSecond: 500, timeoutMs: 30_000 },
};

const positive = z.number().int().positive();
const override = z
  .object({
    maxDepth: positive.max(100),
    maxAliases: z.number().int().min(0).max(10_000),
    maxCost: positive,
    budget: positive,
    restorePerSecond: positive,
    timeoutMs: positive.max(600_000),
  })
  .partial()
  .strict();
const overrides = z.object({ SUPPORT: override, ANALYST: override, FINANCE: override, ADMIN: override }).partial().strict();

/** `{"ANALYST":{"maxCost":50000,"budget":100000}}` → the defaults with those values replaced. */
export function parseRoleLimits(json: string | undefined): Readonly<Record<ApiRole, RoleLimits>> {
  let given: z.infer<typeof overrides> = {};
  if (json?.trim()) {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      throw new Error('GRAPHQL_LIMITS must be JSON, e.g. {"ANALYST":{"maxCost":50000}}');
    }
    const parsed = overrides.safeParse(raw);
    if (!parsed.success) throw new Error(`GRAPHQL_LIMITS: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    given = parsed.data;
  }
  const out = {} as Record<ApiRole, RoleLimits>;
  for (const role of API_ROLES) {
    const l = { ...DEFAULT_ROLE_LIMITS[role], ...given[role] };
    // An operation dearer than the whole bucket could never run.
    if (l.maxCost > l.budget) throw new Error(`GRAPHQL_LIMITS: ${role}.maxCost (${l.maxCost}) must not exceed ${role}.budget (${l.budget})`);
    out[role] = Object.freeze(l);
  }
  return Object.freeze(out);
}
