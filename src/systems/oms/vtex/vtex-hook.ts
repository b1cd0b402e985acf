/**
 * The Orders Hook's one authentication: the header configured with the hook (`hook.headers`) and
 * the notification's `Origin` (the account and the AppKey that configured it). A notification is
 * thin — it names the order and its change, never the order's contents — so what it claims is
 * only "read this order again".
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { OmsAdapterConfig } from '../../../config';

type VtexConfig = Extract<OmsAdapterConfig, { kind: 'vtex' }>;

const notification = z.looseObject({
  Domain: z.string().max(64),
  OrderId: z.string().min(1).max(64),
  State: z.string().min(1).max(64),
  LastState: z.string().max(64).nullable().optional(),
  LastChange: z.string().max(40).nullable().optional(),
  CurrentChange: z.string().min(1).max(40),
  Origin: z.looseObject({ Account: z.string().max(64), Key: z.string().max(128) }),
});
export type VtexHookNotification = z.output<typeof notification>;

export type VtexHookVerdict = { kind: 'ping' } | { kind: 'notification'; n: VtexHookNotification } | { kind: 'refused'; status: 400 | 401; error: string };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifyVtexHook(config: VtexConfig, raw: Buffer, headers: Readonly<Record<string, string | undefined>>): VtexHookVerdict {
  const given = headers[config.hookHeaderName];
  if (!given || !same(given, config.hookHeaderValue)) return { kind: 'refused', status: 401, error: `missing or wrong ${config.hookHeaderName} header` };
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return { kind: 'refused', status: 400, error: 'body is not valid JSON' };
  }
  // VTEX checks a new hook configuration with {"hookConfig": "ping"} and keeps it only if it is answered 200.
  if ((body as { hookConfig?: unknown } | null)?.hookConfig === 'ping') return { kind: 'ping' };
  const r = notification.safeParse(body);
  if (!r.success) return { kind: 'refused', status: 400, error: `not an Orders Hook notification (${r.error.issues[0]?.path.join('.') || 'body'}: ${r.error.issues[0]?.message})` };
  const o = r.data.Origin;
  if (o.Account.toLowerCase() !== config.account.toLowerCase() || o.Key !== config.appKey) return { kind: 'refused', status: 401, error: 'Origin names another account or AppKey' };
  return { kind: 'notification', n: r.data };
}
