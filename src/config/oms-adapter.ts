/**
 * Which OMS the process speaks to, and its settings. `OMS=inhouse` (the default) is the in-house
 * contract at OMS_BASE_URL; `OMS=vtex` is a VTEX store, read through its OMS, Orders Hook, Feed v3
 * and Payments APIs with an AppKey/AppToken pair. The VTEX settings are read from `OMS_VTEX_*`.
 */
import { ConfigError } from './config-error';

const OMS_ADAPTER_KINDS = ['inhouse', 'vtex'] as const;

export type OmsAdapterConfig =
  | Readonly<{ kind: 'inhouse' }>
  | Readonly<{
      kind: 'vtex';
      /** The VTEX account name: the hook's `Origin.Account` must name it. */
      account: string;
      appKey: string;
      appToken: string;
      /** OMS and Feed v3 (`https://{account}.vtexcommercestable.com.br` unless set). */
      apiUrl: string;
      /** VTEX Payments (`https://{account}.vtexpayments.com.br` unless set). */
      paymentsUrl: string;
      /** The header the hook configuration sends with every notification, and its value. */
      hookHeaderName: string;
      hookHeaderValue: string;
      /** How often the Feed v3 backup is read (0: not at all). */
      feedPollMs: number;
      /** The longest a 429 is waited out (Retry-After) before the call fails as throttled. */
      maxThrottleWaitMs: number;
    }>;

function url(name: string, v: string | undefined, fallback: string): string {
  const s = v?.trim() || fallback;
  let u: URL | null = null;
  try {
    u = new URL(s);
  } catch {
    // reported below
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new ConfigError(`${name} must be an http(s) URL, e.g. https://mystore.vtexcommercestable.com.br`);
  return s.replace(/\/+$/, '');
}

function whole(name: string, v: string | undefined, dflt: number, max: number): number {
  const n = Number(v?.trim() || dflt);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ConfigError(`${name} must be a whole number from 0 to ${max}`);
  return n;
}

export function parseOmsAdapter(env: NodeJS.ProcessEnv): OmsAdapterConfig {
  const kind = env.OMS?.trim() || 'inhouse';
  if (!(OMS_ADAPTER_KINDS as readonly string[]).includes(kind)) throw new ConfigError(`OMS is "${kind}"; expected one of ${OMS_ADAPTER_KINDS.join(', ')}`);
  if (kind === 'inhouse') return Object.freeze({ kind: 'inhouse' as const });
  const need = (name: string, hint: string): string => {
    const v = env[name]?.trim();
    if (!v) throw new ConfigError(`${name} must be set for OMS=vtex (${hint})`);
    return v;
  };
  const account = need('OMS_VTEX_ACCOUNT', 'the VTEX account name');
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/i.test(account)) throw new ConfigError('OMS_VTEX_ACCOUNT must be a VTEX account name (letters, digits, -)');
  const hookHeaderValue = need('OMS_VTEX_HOOK_SECRET', 'the value of the header the Orders Hook configuration sends, at least 16 characters');
  if (hookHeaderValue.length < 16) throw new ConfigError('OMS_VTEX_HOOK_SECRET must be at least 16 characters');
  const hookHeaderName = env.OMS_VTEX_HOOK_HEADER?.trim().toLowerCase() || 'x-moneygraph-hook-secret';
  if (!/^[a-z0-9-]{1,64}$/.test(hookHeaderName)) throw new ConfigError('OMS_VTEX_HOOK_HEADER must be an HTTP header name');
  return Object.freeze({
    kind: 'vtex' as const,
    account,
    appKey: need('OMS_VTEX_APP_KEY', 'vtexappkey-…'),
    appToken: need('OMS_VTEX_APP_TOKEN', "the AppKey's token"),
    apiUrl: url('OMS_VTEX_API_URL', env.OMS_VTEX_API_URL, `https://${account}.vtexcommercestable.com.br`),
    paymentsUrl: url('OMS_VTEX_PAYMENTS_URL', env.OMS_VTEX_PAYMENTS_URL, `https://${account}.vtexpayments.com.br`),
    hookHeaderName,
    hookHeaderValue,
    feedPollMs: whole('OMS_VTEX_FEED_POLL_MS', env.OMS_VTEX_FEED_POLL_MS, 60_000, 3_600_000),
    maxThrottleWaitMs: whole('OMS_VTEX_MAX_THROTTLE_WAIT_MS', env.OMS_VTEX_MAX_THROTTLE_WAIT_MS, 10_000, 60_000),
  });
}
