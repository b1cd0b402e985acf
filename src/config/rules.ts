/** The checks of src/config that are more than a type: database URLs, API keys, leases and claims. */
import { ConfigError } from './config-error';
import { defaultOutboxClaimMs, minOutboxClaimMs, minRefundLeaseMs, RETRY_BACKOFF_MAX_MS, worstCaseCallMs } from '../shared/upstream-bounds';

/** What is wrong with a DATABASE_URL, in words that never repeat its password; null when it is usable. */
export function databaseUrlProblem(v: string): string | null {
  const example = 'mysql://user:password@host:3306/moneygraph (or mariadb://…)';
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `is not a URL; expected ${example}`;
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') return `uses "${u.protocol.replace(/:$/, '')}://", but moneygraph needs MariaDB or MySQL: ${example}`;
  if (!u.hostname) return `names no host; expected ${example}`;
  if (u.pathname.replace(/^\//, '') === '') return `names no database; expected ${example}`;
  return null;
}

const ROLES = ['SUPPORT', 'ANALYST', 'FINANCE', 'ADMIN'] as const;

export function parseApiKeys(spec: string): ReadonlyMap<string, { role: (typeof ROLES)[number]; subject: string }> {
  const out = new Map<string, { role: (typeof ROLES)[number]; subject: string }>();
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^=\s]{12,})=([A-Z]+):(\S+)$/.exec(part); // a match has all three groups
    if (!m || !(ROLES as readonly string[]).includes(m[2]!)) {
      throw new ConfigError(`API_KEYS entry "${part.slice(0, 8)}…" must look like key=ROLE:subject (key ≥ 12 chars, ROLE one of ${ROLES.join(', ')})`);
    }
    out.set(m[1]!, { role: m[2] as (typeof ROLES)[number], subject: m[3]! });
  }
  return out;
}

/**
 * Leases and claims must outlast the work they protect, or a second owner takes over work a live
 * one still does. The bounds come from the HTTP client's policy (src/shared/upstream-bounds.ts).
 */
export function checkTimings(e: { UPSTREAM_TIMEOUT_MS: number; UPSTREAM_RETRIES: number; REFUND_LEASE_MS?: number | undefined; OUTBOX_CLAIM_MS?: number | undefined }): {
  leaseMs: number;
  claimMs: number;
} {
  const t = e.UPSTREAM_TIMEOUT_MS;
  const r = e.UPSTREAM_RETRIES;
  const call = worstCaseCallMs(t, r);
  const perCall = `UPSTREAM_TIMEOUT_MS × (UPSTREAM_RETRIES + 1) + ${RETRY_BACKOFF_MAX_MS} ms backoff × UPSTREAM_RETRIES = ${t} × ${r + 1} + ${RETRY_BACKOFF_MAX_MS} × ${r} = ${call} ms`;
  const minLease = minRefundLeaseMs(t, r);
  const leaseMs = e.REFUND_LEASE_MS ?? Math.max(60_000, minLease);
  if (leaseMs < minLease) {
    throw new ConfigError(
      `REFUND_LEASE_MS must be at least ${minLease} ms (is ${leaseMs}): a refund's owner makes up to two PSP calls under one lease ` +
        `(createRefund, then findRefund when the PSP answers "already exists"), each at most ${perCall}; ` +
        `a shorter lease lets recovery take over a refund a live request still drives`,
    );
  }
  const minClaim = minOutboxClaimMs(t, r);
  const claimMs = e.OUTBOX_CLAIM_MS ?? defaultOutboxClaimMs(t, r);
  if (claimMs < minClaim) {
    throw new ConfigError(
      `OUTBOX_CLAIM_MS must be at least ${minClaim} ms (is ${claimMs}): the longest outbox handler is the larger of erp.post's ` +
        `three ERP calls without retries (3 × UPSTREAM_TIMEOUT_MS = ${3 * t} ms) and an OMS call with retries (${perCall}); ` +
        `a shorter claim lets a second worker deliver a message whose first delivery is still running`,
    );
  }
  return { leaseMs, claimMs };
}
