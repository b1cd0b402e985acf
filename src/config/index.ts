/**
 * The only module that reads process.env. Everything is validated once, typed, and
 * frozen; the rest of the code receives a Config value.
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEBHOOK_SECRET_OMS: z.string().min(16).default('dev-oms-webhook-secret-change-me'),
  WEBHOOK_SECRET_PSP: z.string().min(16).default('dev-psp-webhook-secret-change-me'),
  WEBHOOK_SECRET_ERP: z.string().min(16).default('dev-erp-webhook-secret-change-me'),
  OMS_BASE_URL: z.string().url().optional(),
  PSP_BASE_URL: z.string().url().optional(),
  ERP_BASE_URL: z.string().url().optional(),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  UPSTREAM_BREAKER_THRESHOLD: z.coerce.number().int().positive().default(5),
  UPSTREAM_BREAKER_HALF_OPEN_MS: z.coerce.number().int().positive().default(5000),
  MAX_PAGE_SIZE: z.coerce.number().int().positive().max(1000).default(100),
  LOADER_MAX_BATCH: z.coerce.number().int().positive().default(500),
  WEBHOOK_MAX_BYTES: z.coerce.number().int().positive().default(1_048_576),
  GRAPHQL_MAX_BYTES: z.coerce.number().int().positive().default(262_144),
  INVOICE_DATA_DRIFT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  AUTO_REFUND_INPUT_INVOICES: bool.default(true),
  MIGRATE_ON_START: bool.optional(),
  /** Static service credentials: "key=ROLE:subject,key2=ROLE:subject2". */
  API_KEYS: z.string().optional(),
});

/** Development and test only: well-known demo credentials, one per role (see README). */
export const DEMO_API_KEYS = 'demo-support-key=SUPPORT:support-demo,demo-analyst-key=ANALYST:analyst-demo,demo-finance-key=FINANCE:finance-demo,demo-admin-key=ADMIN:admin-demo';

const ROLES = ['SUPPORT', 'ANALYST', 'FINANCE', 'ADMIN'] as const;

function parseApiKeys(spec: string): ReadonlyMap<string, { role: (typeof ROLES)[number]; subject: string }> {
  const out = new Map<string, { role: (typeof ROLES)[number]; subject: string }>();
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]{12,})=([A-Z]+):(\S+)$/.exec(part);
    if (!m || !(ROLES as readonly string[]).includes(m[2])) {
      throw new ConfigError(`API_KEYS entry "${part.slice(0, 8)}…" must look like key=ROLE:subject (key ≥ 12 chars, ROLE one of ${ROLES.join(', ')})`);
    }
    out.set(m[1], { role: m[2] as (typeof ROLES)[number], subject: m[3] });
  }
  return out;
}

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  logLevel: string;
  webhookSecrets: Readonly<Record<'OMS' | 'PSP' | 'ERP', string>>;
  upstream: Readonly<{ omsBaseUrl?: string; pspBaseUrl?: string; erpBaseUrl?: string; timeoutMs: number; retries: number; breakerThreshold: number; breakerHalfOpenMs: number }>;
  maxPageSize: number;
  loaderMaxBatch: number;
  webhookMaxBytes: number;
  graphqlMaxBytes: number;
  invoiceDataDriftWindowSeconds: number;
  autoRefundInputInvoices: boolean;
  migrateOnStart: boolean;
  apiKeys: ReadonlyMap<string, { role: 'SUPPORT' | 'ANALYST' | 'FINANCE' | 'ADMIN'; subject: string }>;
}>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production') {
    for (const s of ['OMS', 'PSP', 'ERP'] as const) {
      if (e[`WEBHOOK_SECRET_${s}`].startsWith('dev-')) {
        throw new ConfigError(`WEBHOOK_SECRET_${s} must be set in production`);
      }
    }
  }
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    logLevel: e.LOG_LEVEL,
    webhookSecrets: Object.freeze({ OMS: e.WEBHOOK_SECRET_OMS, PSP: e.WEBHOOK_SECRET_PSP, ERP: e.WEBHOOK_SECRET_ERP }),
    upstream: Object.freeze({
      omsBaseUrl: e.OMS_BASE_URL,
      pspBaseUrl: e.PSP_BASE_URL,
      erpBaseUrl: e.ERP_BASE_URL,
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
      retries: e.UPSTREAM_RETRIES,
      breakerThreshold: e.UPSTREAM_BREAKER_THRESHOLD,
      breakerHalfOpenMs: e.UPSTREAM_BREAKER_HALF_OPEN_MS,
    }),
    maxPageSize: e.MAX_PAGE_SIZE,
    loaderMaxBatch: e.LOADER_MAX_BATCH,
    webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
    graphqlMaxBytes: e.GRAPHQL_MAX_BYTES,
    invoiceDataDriftWindowSeconds: e.INVOICE_DATA_DRIFT_WINDOW_SECONDS,
    autoRefundInputInvoices: e.AUTO_REFUND_INPUT_INVOICES,
    migrateOnStart: e.MIGRATE_ON_START ?? e.NODE_ENV !== 'production',
    apiKeys: parseApiKeys(e.API_KEYS ?? (e.NODE_ENV === 'production' ? '' : DEMO_API_KEYS)),
    ...overrides,
  });
}
