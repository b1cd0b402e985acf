/**
 * The only module that reads process.env. Everything is validated once, typed, and
 * frozen; the rest of the code receives a Config value.
 */
import { z } from 'zod';
import { ConfigError } from './config-error';
import { parseFaultPoints, type FaultPointRule } from './fault-points';
import { ApiRole, parseRoleLimits, RoleLimits } from '../graphql/limits.config';
import { checkTimings, databaseUrlProblem, parseApiKeys } from './rules';
import { parsePspAdapters, type PspAdapterConfig } from './psp-adapters';
import { parseOmsAdapter, type OmsAdapterConfig } from './oms-adapter';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .optional()
    .superRefine((v, c) => {
      const problem = v ? databaseUrlProblem(v) : null;
      if (problem) c.addIssue({ code: 'custom', message: problem });
    }),
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
  /** Exceptions and reconciliation (see the README, "Money exceptions and refund reconciliation"). */
  REFUND_IN_FLIGHT_TOO_LONG_SECONDS: z.coerce.number().int().positive().default(900),
  ERP_POSTING_GRACE_SECONDS: z.coerce.number().int().nonnegative().default(300),
  INPUT_INVOICE_REFUND_GRACE_SECONDS: z.coerce.number().int().nonnegative().default(300),
  SETTLEMENT_CUTOFF_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(22),
  EXCEPTIONS_STALE_SECONDS: z.coerce.number().int().nonnegative().default(5),
  EXCEPTIONS_REFRESH_INTERVAL_SECONDS: z.coerce.number().int().positive().default(30),
  RECONCILIATION_MAX_DAYS: z.coerce.number().int().positive().max(3660).default(31),
  /** Largest credit to a payment method (unlinked refund), in minor units of the order's currency. */
  CREDIT_LIMIT_MINOR: z
    .string()
    .regex(/^\d{1,15}$/)
    .default('100000')
    .transform((v) => BigInt(v)),
  /**
   * How long a request or recoverer owns an in-flight refund before another may take it over.
   * Default 60000, or the minimum (see minRefundLeaseMs) when that is larger; a shorter value stops the service.
   */
  REFUND_LEASE_MS: z.coerce.number().int().positive().optional(),
  REFUND_RECOVERY_INTERVAL_MS: z.coerce.number().int().positive().default(15_000),
  REFUND_RECOVERY_BATCH: z.coerce.number().int().positive().max(1000).default(100),
  IDEMPOTENCY_TTL_HOURS: z.coerce.number().int().min(72).default(72),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(500),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().positive().max(1000).default(50),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().positive().default(12),
  OUTBOX_RETRY_BASE_MS: z.coerce.number().int().positive().default(1_000),
  OUTBOX_RETRY_MAX_MS: z.coerce.number().int().positive().default(600_000),
  /** Webhook events stored but not applied (see the README, "Webhooks"). */
  WEBHOOK_RETRY_AFTER_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_RETRY_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(1_000),
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().positive().default(600_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10),
  WEBHOOK_RETRY_BATCH: z.coerce.number().int().positive().max(1000).default(100),
  WEBHOOK_WAIT_EXCEPTION_SECONDS: z.coerce.number().int().nonnegative().default(900),
  /**
   * How long a worker's claim on a message lasts: a message left RUNNING by a dead worker is retried
   * once it expires. Default max(60000, 6 × UPSTREAM_TIMEOUT_MS), or the minimum (see minOutboxClaimMs)
   * when that is larger; a shorter value stops the service.
   */
  OUTBOX_CLAIM_MS: z.coerce.number().int().positive().optional(),
  MIGRATE_ON_START: bool.optional(),
  /** Browser origins allowed to call /graphql, exact ("https://admin.example.com,https://support.example.com"); none by default. */
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v, c) => {
      const origins = (v ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      for (const o of origins) {
        let u: URL | null = null;
        try {
          u = new URL(o);
        } catch {
          /* reported below */
        }
        if (!u || u.origin !== o) c.addIssue({ code: 'custom', message: `"${o}" is not an exact origin (scheme://host[:port], no path or trailing slash)` });
      }
      return origins;
    }),
  /** On SIGTERM/SIGINT: how long in-flight requests and the workers' current rounds may take before the process gives up and exits 1. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(25_000),
  /** On SIGTERM/SIGINT: how long /readyz answers 503 while the listener still serves, so a load balancer stops sending first. */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().nonnegative().default(0),
  /** Static service credentials: "key=ROLE:subject,key2=ROLE:subject2". */
  API_KEYS: z.string().optional(),
  /** HS256 shared secret for bearer JWTs (development and test fall back to DEV_JWT_SECRET). */
  JWT_SECRET: z.string().min(32).optional(),
  /** RS256 public keys: one or more PEM blocks, or JSON {"<kid>": "<PEM>"}. */
  JWT_PUBLIC_KEYS: z.string().optional(),
  /**
   * The identity provider's JSON Web Key Set (e.g. https://idp.example.com/.well-known/jwks.json):
   * RS256/PS256/ES256 tokens are verified against its keys, fetched and cached as jose's remote key
   * sets do (a key id not seen yet refetches the set, at most once per JWKS_COOLDOWN_MS).
   */
  JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWKS_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  JWKS_COOLDOWN_MS: z.coerce.number().int().nonnegative().default(30_000),
  JWKS_CACHE_MAX_AGE_MS: z.coerce.number().int().positive().default(600_000),
  JWT_ISSUER: z.string().min(1).default('moneygraph'),
  JWT_AUDIENCE: z.string().min(1).default('moneygraph'),
  JWT_ROLE_CLAIM: z.string().min(1).default('role'),
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** Tokens whose exp lies further than this after their iat (or after now) are refused. */
  JWT_MAX_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).default(5_000),
  GRAPHQL_COMPILED_QUERIES: bool.default(true),
  /** Per-role overrides of src/graphql/limits.config.ts, as JSON. */
  GRAPHQL_LIMITS: z.string().optional(),
  /** Tests only (NODE_ENV=test): "name=crash#N,name2=dberror#M" — see src/shared/fault-points.ts. */
  TEST_FAULT_POINTS: z.string().optional(),
});

/** Development and test only: signs the tokens of `npm run token`. */
export const DEV_JWT_SECRET = 'dev-jwt-secret-change-me-0123456789abcdef';

/** Development and test only: well-known demo credentials, one per role (see README). */
export const DEMO_API_KEYS = 'demo-support-key=SUPPORT:support-demo,demo-analyst-key=ANALYST:analyst-demo,demo-finance-key=FINANCE:finance-demo,demo-admin-key=ADMIN:admin-demo';

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  logLevel: string;
  webhookSecrets: Readonly<Record<'OMS' | 'PSP' | 'ERP', string>>;
  upstream: Readonly<{ omsBaseUrl?: string; pspBaseUrl?: string; erpBaseUrl?: string; timeoutMs: number; retries: number; breakerThreshold: number; breakerHalfOpenMs: number }>;
  /** The PSP adapter instances (PSP_ADAPTERS / PSP), the default first. */
  pspAdapters: readonly PspAdapterConfig[];
  /** The OMS adapter (OMS=inhouse|vtex). */
  omsAdapter: OmsAdapterConfig;
  maxPageSize: number;
  loaderMaxBatch: number;
  webhookMaxBytes: number;
  graphqlMaxBytes: number;
  invoiceDataDriftWindowSeconds: number;
  autoRefundInputInvoices: boolean;
  exceptions: Readonly<{
    refundInFlightTooLongSeconds: number;
    postingGraceSeconds: number;
    inputInvoiceRefundGraceSeconds: number;
    settlementCutoffHourUtc: number;
    staleAfterSeconds: number;
    refreshIntervalSeconds: number;
    webhookWaitSeconds: number;
  }>;
  webhooks: Readonly<{ retryAfterMs: number; pollIntervalMs: number; retryBaseMs: number; retryMaxMs: number; maxAttempts: number; batchSize: number }>;
  reconciliationMaxDays: number;
  refunds: Readonly<{ creditLimitMinor: bigint; leaseMs: number; recoveryIntervalMs: number; recoveryBatch: number; idempotencyTtlHours: number }>;
  outbox: Readonly<{ pollIntervalMs: number; batchSize: number; maxAttempts: number; retryBaseMs: number; retryMaxMs: number; claimMs: number }>;
  migrateOnStart: boolean;
  corsOrigins: readonly string[];
  shutdown: Readonly<{ timeoutMs: number; delayMs: number }>;
  apiKeys: ReadonlyMap<string, { role: 'SUPPORT' | 'ANALYST' | 'FINANCE' | 'ADMIN'; subject: string }>;
  jwt: Readonly<{
    secret?: string;
    publicKeys?: string;
    jwks?: Readonly<{ url: string; timeoutMs: number; cooldownMs: number; cacheMaxAgeMs: number }>;
    issuer: string;
    audience: string;
    roleClaim: string;
    clockToleranceSeconds: number;
    maxTtlSeconds: number;
  }>;
  graphqlMaxTokens: number;
  /** Queries run as code compiled per document (graphql-jit); false: every operation through graphql-js. */
  graphqlCompiledQueries: boolean;
  graphqlLimits: Readonly<Record<ApiRole, RoleLimits>>;
  /** Tests only: what each fault point does on which hit (empty outside NODE_ENV=test). */
  faultPoints: readonly FaultPointRule[];
}>;

export { ConfigError } from './config-error';
export type { PspAdapterConfig } from './psp-adapters';
export type { OmsAdapterConfig } from './oms-adapter';
export { FAULT_POINTS, parseFaultPoints } from './fault-points';
export type { FaultAction, FaultPointName, FaultPointRule } from './fault-points';

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
    if (e.JWT_SECRET?.startsWith('dev-')) throw new ConfigError('JWT_SECRET must be set to a real secret in production');
    if (!e.API_KEYS?.trim() && !e.JWT_SECRET && !e.JWT_PUBLIC_KEYS && !e.JWKS_URL) {
      throw new ConfigError('Production needs credentials: set API_KEYS, JWT_SECRET, JWT_PUBLIC_KEYS or JWKS_URL (see the README, "Security")');
    }
    if (e.JWKS_URL?.startsWith('http:')) throw new ConfigError('JWKS_URL must be an https URL in production: the keys decide who may move money');
  }
  const { leaseMs, claimMs } = checkTimings(e);
  if (e.TEST_FAULT_POINTS?.trim() && e.NODE_ENV !== 'test') {
    throw new ConfigError('TEST_FAULT_POINTS is for tests only: it needs NODE_ENV=test');
  }
  const faultPoints = Object.freeze(parseFaultPoints(e.TEST_FAULT_POINTS));
  let graphqlLimits: Config['graphqlLimits'];
  try {
    graphqlLimits = parseRoleLimits(e.GRAPHQL_LIMITS);
  } catch (err) {
    throw new ConfigError((err as Error).message);
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
    pspAdapters: Object.freeze(parsePspAdapters(env)),
    omsAdapter: parseOmsAdapter(env),
    maxPageSize: e.MAX_PAGE_SIZE,
    loaderMaxBatch: e.LOADER_MAX_BATCH,
    webhookMaxBytes: e.WEBHOOK_MAX_BYTES,
    graphqlMaxBytes: e.GRAPHQL_MAX_BYTES,
    invoiceDataDriftWindowSeconds: e.INVOICE_DATA_DRIFT_WINDOW_SECONDS,
    autoRefundInputInvoices: e.AUTO_REFUND_INPUT_INVOICES,
    exceptions: Object.freeze({
      refundInFlightTooLongSeconds: e.REFUND_IN_FLIGHT_TOO_LONG_SECONDS,
      postingGraceSeconds: e.ERP_POSTING_GRACE_SECONDS,
      inputInvoiceRefundGraceSeconds: e.INPUT_INVOICE_REFUND_GRACE_SECONDS,
      settlementCutoffHourUtc: e.SETTLEMENT_CUTOFF_HOUR_UTC,
      staleAfterSeconds: e.EXCEPTIONS_STALE_SECONDS,
      refreshIntervalSeconds: e.EXCEPTIONS_REFRESH_INTERVAL_SECONDS,
      webhookWaitSeconds: e.WEBHOOK_WAIT_EXCEPTION_SECONDS,
    }),
    webhooks: Object.freeze({
      retryAfterMs: e.WEBHOOK_RETRY_AFTER_MS,
      pollIntervalMs: e.WEBHOOK_RETRY_INTERVAL_MS,
      retryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: e.WEBHOOK_RETRY_MAX_MS,
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      batchSize: e.WEBHOOK_RETRY_BATCH,
    }),
    reconciliationMaxDays: e.RECONCILIATION_MAX_DAYS,
    refunds: Object.freeze({
      creditLimitMinor: e.CREDIT_LIMIT_MINOR,
      leaseMs,
      recoveryIntervalMs: e.REFUND_RECOVERY_INTERVAL_MS,
      recoveryBatch: e.REFUND_RECOVERY_BATCH,
      idempotencyTtlHours: e.IDEMPOTENCY_TTL_HOURS,
    }),
    outbox: Object.freeze({
      pollIntervalMs: e.OUTBOX_POLL_INTERVAL_MS,
      batchSize: e.OUTBOX_BATCH_SIZE,
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      retryBaseMs: e.OUTBOX_RETRY_BASE_MS,
      retryMaxMs: e.OUTBOX_RETRY_MAX_MS,
      claimMs,
    }),
    migrateOnStart: e.MIGRATE_ON_START ?? e.NODE_ENV !== 'production',
    corsOrigins: Object.freeze([...e.CORS_ORIGINS]),
    shutdown: Object.freeze({ timeoutMs: e.SHUTDOWN_TIMEOUT_MS, delayMs: e.SHUTDOWN_DELAY_MS }),
    apiKeys: parseApiKeys(e.API_KEYS ?? (e.NODE_ENV === 'production' ? '' : DEMO_API_KEYS)),
    jwt: Object.freeze({
      secret: e.JWT_SECRET ?? (e.NODE_ENV === 'production' || e.JWT_PUBLIC_KEYS || e.JWKS_URL ? undefined : DEV_JWT_SECRET),
      publicKeys: e.JWT_PUBLIC_KEYS || undefined,
      jwks: e.JWKS_URL ? Object.freeze({ url: e.JWKS_URL, timeoutMs: e.JWKS_TIMEOUT_MS, cooldownMs: e.JWKS_COOLDOWN_MS, cacheMaxAgeMs: e.JWKS_CACHE_MAX_AGE_MS }) : undefined,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      roleClaim: e.JWT_ROLE_CLAIM,
      clockToleranceSeconds: e.JWT_CLOCK_TOLERANCE_SECONDS,
      maxTtlSeconds: e.JWT_MAX_TTL_SECONDS,
    }),
    graphqlMaxTokens: e.GRAPHQL_MAX_TOKENS,
    graphqlCompiledQueries: e.GRAPHQL_COMPILED_QUERIES,
    graphqlLimits,
    faultPoints,
    ...overrides,
  });
}
