/** What the three connectors share: how they are tuned and how an upstream answer is checked against its contract. */
import { z } from 'zod';
import { UpstreamError } from './http-client';

export interface ConnectorOptions {
  /** Consecutive unknown-outcome failures (timeout, network, 5xx) that open the circuit. */
  breakerThreshold?: number;
  /** How long an open circuit fails fast before it lets one trial call through. */
  halfOpenAfterMs?: number;
  /** Extra attempts of a request that is safe to retry (GET, or carrying an idempotency key). */
  retries?: number;
}

/** An answer that does not fit its contract is the upstream's fault: reported like a bad gateway, outcome unknown. */
export function parseAnswer<T extends z.ZodTypeAny>(system: string, what: string, schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new UpstreamError(
    system,
    'http',
    `${system} ${what}: answer does not fit the contract (${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'invalid'})`,
    502,
  );
}

/** The connector tuning the configuration asks for (UPSTREAM_*); `retries` may be overridden. */
export function connectorOptions(u: { retries: number; breakerThreshold: number; breakerHalfOpenMs: number }, override: Partial<ConnectorOptions> = {}): ConnectorOptions {
  return { breakerThreshold: u.breakerThreshold, halfOpenAfterMs: u.breakerHalfOpenMs, retries: u.retries, ...override };
}
