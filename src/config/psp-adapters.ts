/**
 * Which PSP adapter instances the process runs, and each one's settings. `PSP_ADAPTERS` lists
 * them as "id=kind" pairs (the first is the default, for payments that name none); `PSP=<kind>`
 * is the one-instance shorthand. An instance's own settings are read from `PSP_<ID>_*`.
 */
import { ConfigError } from './config-error';

export const PSP_ADAPTER_KINDS = ['inhouse', 'stripe'] as const;
export type PspAdapterKind = (typeof PSP_ADAPTER_KINDS)[number];

export type PspAdapterConfig =
  | Readonly<{ id: string; kind: 'inhouse'; baseUrl?: string }>
  | Readonly<{ id: string; kind: 'stripe'; secretKey: string; webhookSecrets: readonly string[]; apiUrl?: string; webhookToleranceSeconds: number }>;

const ID = /^[a-z][a-z0-9_]{0,31}$/;

function url(name: string, v: string | undefined): string | undefined {
  if (!v?.trim()) return undefined;
  let u: URL | null = null;
  try {
    u = new URL(v.trim());
  } catch {
    // reported below
  }
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new ConfigError(`${name} must be an http(s) URL, e.g. http://127.0.0.1:12111`);
  return v.trim();
}

function instances(env: NodeJS.ProcessEnv): { id: string; kind: PspAdapterKind }[] {
  const list = env.PSP_ADAPTERS?.trim();
  const single = env.PSP?.trim();
  if (list && single) throw new ConfigError('Set PSP_ADAPTERS or PSP, not both');
  const pairs = list ? list.split(',').map((p) => p.trim()) : [single ? `${single}=${single}` : 'inhouse=inhouse'];
  const out: { id: string; kind: PspAdapterKind }[] = [];
  for (const pair of pairs) {
    const [id = '', kind = ''] = pair.split('=').map((s) => s.trim());
    if (!ID.test(id)) throw new ConfigError(`PSP adapter id "${id}" must be lower-case letters, digits or _ (at most 32), starting with a letter`);
    if (!(PSP_ADAPTER_KINDS as readonly string[]).includes(kind)) throw new ConfigError(`PSP adapter "${id}" has kind "${kind}"; expected one of ${PSP_ADAPTER_KINDS.join(', ')}`);
    if (out.some((o) => o.id === id)) throw new ConfigError(`PSP adapter id "${id}" is configured twice`);
    out.push({ id, kind: kind as PspAdapterKind });
  }
  return out;
}

/** The configured PSP adapter instances, the default first. */
export function parsePspAdapters(env: NodeJS.ProcessEnv): readonly PspAdapterConfig[] {
  return instances(env).map(({ id, kind }): PspAdapterConfig => {
    const key = (s: string) => `PSP_${id.toUpperCase()}_${s}`;
    // Without its own PSP_<ID>_BASE_URL, the in-house adapter calls PSP_BASE_URL (config.upstream.pspBaseUrl).
    if (kind === 'inhouse') return Object.freeze({ id, kind, baseUrl: url(key('BASE_URL'), env[key('BASE_URL')]) });
    const secretKey = env[key('SECRET_KEY')]?.trim();
    if (!secretKey) throw new ConfigError(`${key('SECRET_KEY')} must be set for the Stripe adapter "${id}" (sk_live_… or sk_test_…)`);
    const webhookSecrets = (env[key('WEBHOOK_SECRETS')] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (webhookSecrets.length === 0) throw new ConfigError(`${key('WEBHOOK_SECRETS')} must hold the endpoint's signing secret(s) (whsec_…, comma-separated while rotating)`);
    const tolerance = Number(env[key('WEBHOOK_TOLERANCE_SECONDS')] ?? 300);
    if (!Number.isInteger(tolerance) || tolerance < 1 || tolerance > 3600)
      throw new ConfigError(`${key('WEBHOOK_TOLERANCE_SECONDS')} must be a whole number of seconds from 1 to 3600`);
    return Object.freeze({
      id,
      kind,
      secretKey,
      webhookSecrets: Object.freeze(webhookSecrets),
      apiUrl: url(key('API_URL'), env[key('API_URL')]),
      webhookToleranceSeconds: tolerance,
    });
  });
}
