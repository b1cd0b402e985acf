/** How the campaign talks to the service (GraphQL, signed webhooks) and to the simulators (HTTP). */
import { createHmac, randomUUID } from 'node:crypto';
import { sleep } from './service';

export const KEYS = { ADMIN: 'demo-admin-key', FINANCE: 'demo-finance-key' } as const;
export type Role = keyof typeof KEYS;

export class Unreachable extends Error {}

export interface GqlAnswer<T = any> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One GraphQL request; throws Unreachable when no answer came (service down, connection cut). */
export async function gql<T = any>(url: string, role: Role, query: string, variables?: Record<string, unknown>, timeoutMs = 20_000): Promise<GqlAnswer<T>> {
  let res: Response;
  try {
    res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${KEYS[role]}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new Unreachable(`POST /graphql: ${(err as Error).message}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new Unreachable(`POST /graphql (body): ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as GqlAnswer<T>;
  } catch {
    if (res.status >= 500) throw new Unreachable(`POST /graphql → ${res.status}`);
    throw new Error(`POST /graphql → ${res.status}: ${text.slice(0, 300)}`);
  }
}

/** A read the checker depends on: retried while the service restarts; GraphQL errors throw. */
export async function gqlRead<T = any>(url: string, role: Role, query: string, variables?: Record<string, unknown>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await gql<T>(url, role, query, variables);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors).slice(0, 1000)}`);
      return r.data as T;
    } catch (err) {
      if (!(err instanceof Unreachable) || attempt >= 20) throw err;
      await sleep(500);
    }
  }
}

class SimError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: any,
  ) {
    super(message);
  }
}

/** A simulator call; no retries. */
export async function simCall<T = any>(base: string, method: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (!res.ok) throw new SimError(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`, res.status, json);
  return json as T;
}

/**
 * A workload call to a simulator, as a client with retries would make it: an injected failure
 * (5xx, did nothing) or a hung answer (timeoutNext: performed) is retried; a 409 on a retry means
 * the first attempt was performed. Every create carries its own id, so a retry cannot duplicate.
 */
export async function simOp<T = any>(base: string, method: string, path: string, body?: unknown): Promise<T | null> {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      return await simCall<T>(base, method, path, body, 3_000);
    } catch (err) {
      const e = err as SimError;
      if (e instanceof SimError && e.status === 409 && attempt > 0) return null;
      if (e instanceof SimError && e.status < 500) throw e;
      await sleep(100);
    }
  }
  throw new Error(`${method} ${path}: upstream simulator kept failing`);
}

/** Sends a webhook to the service signed like the simulators do (HMAC-SHA256 of the raw body). */
export async function sendSignedWebhook(serviceUrl: string, source: 'oms' | 'psp' | 'erp', secret: string, raw: string, eventId: string = randomUUID()): Promise<number | null> {
  try {
    const res = await fetch(`${serviceUrl}/webhooks/${source}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Event-Id': eventId,
        'X-Signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`,
      },
      body: raw,
      signal: AbortSignal.timeout(10_000),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status;
  } catch {
    return null;
  }
}

/** The order an upstream event is about (envelope data, seed-004 payload, invoiceData body, a Stripe object's metadata). */
export function orderIdOfEvent(body: any): string | null {
  const d = body?.data ?? {};
  const p = body?.payload ?? {};
  return (
    d.order?.id ??
    d.invoice?.orderId ??
    d.interaction?.orderId ??
    d.payment?.orderId ??
    d.capture?.orderId ??
    d.posting?.orderId ??
    p.metadata?.orderId ??
    p.payment?.orderId ??
    body?.orderId ??
    // A Stripe event (its object's metadata, as checkouts and refunds carry the order).
    d.object?.metadata?.orderId ??
    null
  );
}
