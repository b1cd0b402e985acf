/**
 * The HTTP application: webhooks (raw body) mounted before the JSON parser, then GraphQL,
 * health, readiness and metrics.
 */
import 'reflect-metadata';
import { isUtf8 } from 'node:buffer';
import http from 'node:http';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { NextFunction, Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Config } from './config';
import { AppServices, RequestContext, TestHooks } from './db/context';
import { createAuthenticator } from './graphql/authenticate';
import { createGqlContext, GqlContext } from './graphql/context';
import { errorLoggingPlugin, makeFormatError } from './graphql/format-error';
import { httpStatusPlugin, responseMediaTypeOf, withStatusFor } from './graphql/http-status';
import { IDE_HTML, ideRouter, wantsIde } from './graphql/ide';
import { limitsPlugin } from './graphql/limits';
import { operationExecution } from './graphql/jit-executor';
import { createMetrics, Metrics, observePool, observeUpstreams, transactionRetriesCounter } from './metrics';
import { graphqlMetricsPlugin } from './graphql/metrics-plugin';
import { HttpClient } from './shared/http-client';
import { UpstreamGuard } from './shared/upstream-guard';
import { Clock, systemClock } from './shared/clock';
import { trackConnections } from './shared/http-drain';
import { newRequestId } from './shared/ids';
import { writeAudit } from './audit';
import { appSchema, createServices, createWorkers, LOADER_FACTORIES, MODULES } from './modules';

export interface App {
  services: AppServices;
  metrics: Metrics;
  express: express.Express;
  server: http.Server;
  apollo: ApolloServer<GqlContext>;
  /** Starts background workers (outbox, recovery). Tests may leave them off and drive them by hand. */
  startWorkers(): void;
  /** From now on /readyz answers 503 (a shutdown has begun); everything else still serves. */
  beginShutdown(): void;
  /**
   * Stops taking connections, lets in-flight requests and the workers' current rounds finish, then
   * stops the workers. The caller closes the pool afterwards.
   */
  stop(): Promise<void>;
}

export interface CreateAppOptions {
  config: Config;
  dataSource: DataSource;
  logger: Logger;
  clock?: Clock;
  /** Tests only: failures to stand in at named places (see TestHooks). */
  testHooks?: TestHooks;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The guard of each upstream: each connector's HttpClient, and each PSP adapter instance's (an HttpClient, or the guard around its vendor SDK). */
function upstreamClients(connectors: object): UpstreamGuard[] {
  // A connector's own client (`http`, `upstream`) and a second one it speaks through (`payments`: VTEX Payments).
  const guardsOf = (c: unknown) => {
    const o = c as { http?: unknown; upstream?: unknown; payments?: unknown } | undefined;
    return [o?.http, o?.payments].map((h) => (h instanceof HttpClient ? h.guard : undefined)).concat(o?.upstream instanceof UpstreamGuard ? o.upstream : undefined);
  };
  return Object.values(connectors)
    .flatMap((c: unknown) => [c, ...((c as { all?: unknown } | undefined)?.all instanceof Array ? (c as { all: unknown[] }).all : [])])
    .flatMap(guardsOf)
    .filter((g): g is UpstreamGuard => g !== undefined);
}

/** The metrics' route label: one of a fixed set, so a scanner's paths never become series of their own. */
function routeLabel(path: string): string {
  if (path === '/graphql') return '/graphql';
  if (path.startsWith('/webhooks/')) return '/webhooks';
  if (path.startsWith('/graphiql/')) return '/graphiql';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path;
  return 'other';
}

function requestError(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  res
    .set(headers)
    .status(status)
    .json({ errors: [{ message, extensions: { code: 'BAD_REQUEST', requestId: res.locals.requestId } }] });
}

/** The JSON parser would silently turn invalid bytes into U+FFFD; refuse them instead. */
function refuseInvalidUtf8(_req: unknown, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf)) throw Object.assign(new Error('The body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
}

/** A POST body the JSON parser did not take, or a batch, gets a clear 4xx instead of reaching Apollo. */
function refuseUnparsedBodies(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'POST' && !req.is(['application/json', 'application/*+json'])) {
    return requestError(res, 415, 'POST /graphql takes a JSON body: send Content-Type: application/json', { Accept: 'application/json' });
  }
  if (Array.isArray(req.body)) return requestError(res, 400, 'Batched operations (a JSON array body) are not supported: send one operation per request');
  if (req.method === 'POST' && (req.body === null || typeof req.body !== 'object')) return requestError(res, 400, 'The JSON body must be an object with a "query"');
  next();
}

export async function createApp(opts: CreateAppOptions): Promise<App> {
  const services = createServices({ config: opts.config, dataSource: opts.dataSource, logger: opts.logger, clock: opts.clock ?? systemClock, testHooks: opts.testHooks });
  const workers = createWorkers(services);
  const metrics = createMetrics();
  transactionRetriesCounter(metrics.registry, services.dataSource);
  for (const m of MODULES) m.metrics?.(metrics.registry, services);
  // Each connector calls its system through one guard (its HttpClient's, or its SDK's).
  observeUpstreams(metrics, upstreamClients(services.connectors));
  observePool(metrics, opts.dataSource);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const server = http.createServer(app);
  const connections = trackConnections(server);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : newRequestId();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    // Before any router rewrites req.url: a mounted router sees its own path ("/").
    const path = req.path;
    res.on('finish', () => {
      const route = routeLabel(path);
      metrics.httpRequests.inc({ route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
      const gql = res.locals.gql as GqlContext | undefined;
      const graphql = gql
        ? {
            actor: { role: gql.ctx.actor.role, subject: gql.ctx.actor.subject },
            cost: (gql.extensions.cost as { requestedQueryCost?: number } | undefined)?.requestedQueryCost,
            ...gql.logFields,
          }
        : {};
      opts.logger.info({ requestId, method: req.method, path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6, ...graphql }, 'request');
    });
    next();
  });

  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  let shuttingDown = false;
  app.get('/readyz', async (_req, res) => {
    if (shuttingDown) return void res.status(503).json({ status: 'shutting down' });
    try {
      await opts.dataSource.query('SELECT 1');
      const pending = await opts.dataSource.showMigrations();
      if (pending) return void res.status(503).json({ status: 'migrations pending' });
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  // Module routes (webhooks) come before any JSON parser: they verify signatures over the raw bytes.
  for (const m of MODULES) if (m.routes) app.use(m.routes(services, metrics));

  const devTools = opts.config.env !== 'production';
  const authenticate = createAuthenticator(opts.config, services.clock);
  const schema = await appSchema();
  const requestIdPlugin: ApolloServerPlugin<GqlContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName, contextValue }) {
          if (!operation) return;
          // Bounded: the operation's type and its first root field; the client's name only when it is a plain identifier.
          const first = operation.selectionSet.selections.find((s) => s.kind === 'Field');
          contextValue.logFields.operation = `${operation.operation}${first?.kind === 'Field' ? ` ${first.name.value}` : ''}`;
          if (operationName && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(operationName)) contextValue.logFields.operationName = operationName;
        },
        async willSendResponse({ response, contextValue }) {
          // Answers depend on who asks and on data that changes: never cacheable.
          response.http.headers.set('cache-control', 'no-store');
          if (response.body.kind !== 'single') return;
          const r = response.body.singleResult;
          r.extensions = { ...(r.extensions ?? {}), ...contextValue.extensions };
          for (const e of r.errors ?? []) {
            if (e.extensions?.code === 'INTERNAL_SERVER_ERROR') (e.extensions as Record<string, unknown>).requestId = contextValue.ctx.requestId;
          }
        },
      };
    },
  };
  const apollo = new ApolloServer<GqlContext>({
    gateway: operationExecution(schema, { compile: opts.config.graphqlCompiledQueries }),
    formatError: makeFormatError(opts.logger),
    includeStacktraceInErrorResponses: false,
    introspection: devTools,
    // Without introspection, "did you mean …" suggestions would still reveal the schema.
    hideSchemaDetailsFromClientErrors: !devTools,
    allowBatchedHttpRequests: false,
    // The process owns its signals (src/server.ts): readiness first, then drain, workers, pool.
    stopOnTerminationSignals: false,
    // CSRF needs an ambient credential; ours is only ever an Authorization header, which a
    // cross-site page cannot send, so plain GETs stay usable as GraphQL over HTTP specifies.
    csrfPrevention: false,
    parseOptions: { maxTokens: opts.config.graphqlMaxTokens },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Federated traces (ftv1) only for a request that asks for them (a gateway's
      // apollo-federation-include-trace header); error messages in them masked.
      ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
      // No field carries a cache hint; the plugin would only time every field to learn that (no-store is set above).
      ApolloServerPluginCacheControlDisabled(),
      requestIdPlugin,
      graphqlMetricsPlugin(metrics),
      errorLoggingPlugin(opts.logger),
      limitsPlugin(services, writeAudit),
      // After the limits plugin: it may set the status (503) this one leaves alone or rewrites.
      httpStatusPlugin(),
    ],
  });
  await apollo.start();

  if (devTools) {
    app.use(ideRouter());
    app.get('/graphql', (req, res, next) => {
      // A browser opening /graphql, or a shared link /graphql?query=…: the IDE, which runs that query with the key it is given.
      if (wantsIde(req)) return void res.type('html').send(IDE_HTML);
      next();
    });
  }
  // Browser admin UIs on the allowed origins (CORS_ORIGINS): preflights are answered here, before
  // authentication. Credentials travel only in the Authorization header, never cookies, so a page on
  // another origin cannot make an authenticated request it was not given the token for (no CSRF).
  const allowed = new Set(opts.config.corsOrigins);
  app.use(
    '/graphql',
    cors({
      origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin)),
      methods: ['GET', 'POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id'],
      credentials: false,
      maxAge: 600,
    }),
  );
  app.use(
    '/graphql',
    express.json({ limit: opts.config.graphqlMaxBytes, type: ['application/json', 'application/*+json'], verify: refuseInvalidUtf8 }),
    refuseUnparsedBodies,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const mediaType = responseMediaTypeOf(req);
        let actor;
        try {
          actor = await authenticate(req.get('authorization') ?? undefined);
        } catch (err) {
          throw withStatusFor(mediaType, err);
        }
        const ctx = new RequestContext(services, actor, String(res.locals.requestId));
        const gql = createGqlContext(ctx, LOADER_FACTORIES);
        gql.responseMediaType = mediaType;
        res.locals.gql = gql;
        return gql;
      },
    }),
  );

  // Errors outside GraphQL (bad JSON bodies, oversized payloads): a clear status, never a stack.
  app.use((err: { status?: number; statusCode?: number; type?: string; message?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status ?? err.statusCode ?? 500;
    if (status >= 500) opts.logger.error({ err, requestId: res.locals.requestId }, 'unhandled error');
    const message =
      status === 413
        ? 'request body too large'
        : err.type === 'entity.parse.failed'
          ? 'malformed JSON body'
          : status < 500
            ? (err.message ?? 'bad request')
            : 'internal server error';
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR', requestId: res.locals.requestId } }] });
  });

  return {
    services,
    metrics,
    express: app,
    server,
    apollo,
    startWorkers: () => workers.forEach((w) => w.start()),
    beginShutdown: () => void (shuttingDown = true),
    async stop() {
      shuttingDown = true;
      // The listener closes; in-flight requests and the workers' current rounds finish side by side.
      const timeoutMs = opts.config.shutdown.timeoutMs;
      await Promise.all([connections.drain({ graceMs: Math.min(1_000, timeoutMs), timeoutMs }), ...workers.map((w) => w.stop())]);
      await apollo.stop();
    },
  };
}
