"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.createApp = createApp;
/**
 * The HTTP application: webhooks (raw body) mounted before the JSON parser, then GraphQL,
 * health, readiness and metrics.
 */
require("reflect-metadata");
const node_http_1 = __importDefault(require("node:http"));
const server_1 = require("@apollo/server");
const disabled_1 = require("@apollo/server/plugin/disabled");
const drainHttpServer_1 = require("@apollo/server/plugin/drainHttpServer");
const express5_1 = require("@as-integrations/express5");
const express_1 = __importDefault(require("express"));
const context_1 = require("./db/context");
const authenticate_1 = require("./graphql/authenticate");
const context_2 = require("./graphql/context");
const format_error_1 = require("./graphql/format-error");
const ide_1 = require("./graphql/ide");
const schema_1 = require("./graphql/schema");
const metrics_1 = require("./metrics");
const clock_1 = require("./shared/clock");
const hooks_1 = require("./shared/hooks");
const ids_1 = require("./shared/ids");
const webhook_router_1 = require("./webhooks/webhook.router");
const modules_1 = require("./modules");
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
async function createApp(opts) {
    const services = {
        config: opts.config,
        dataSource: opts.dataSource,
        logger: opts.logger,
        clock: opts.clock ?? clock_1.systemClock,
        hooks: new hooks_1.Hooks(),
        registry: new Map(),
    };
    const modules = (0, modules_1.registerModules)(services);
    const metrics = (0, metrics_1.createMetrics)();
    const app = (0, express_1.default)();
    app.disable('x-powered-by');
    app.set('trust proxy', false);
    const server = node_http_1.default.createServer(app);
    app.use((req, res, next) => {
        const given = req.get('x-request-id');
        const requestId = given && REQUEST_ID.test(given) ? given : (0, ids_1.newRequestId)();
        res.locals.requestId = requestId;
        res.setHeader('X-Request-Id', requestId);
        const started = process.hrtime.bigint();
        res.on('finish', () => {
            const route = req.path.startsWith('/webhooks/') ? '/webhooks' : req.path === '/graphql' ? '/graphql' : req.path.slice(0, 32);
            metrics.httpRequests.inc({ route, status: String(res.statusCode) });
            metrics.httpDuration.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
            opts.logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
        });
        next();
    });
    app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
    app.get('/readyz', async (_req, res) => {
        try {
            await opts.dataSource.query('SELECT 1');
            const pending = await opts.dataSource.showMigrations();
            if (pending)
                return void res.status(503).json({ status: 'migrations pending' });
            res.json({ status: 'ready' });
        }
        catch {
            res.status(503).json({ status: 'database unreachable' });
        }
    });
    app.get('/metrics', async (_req, res) => {
        res.setHeader('Content-Type', metrics.registry.contentType);
        res.send(await metrics.registry.metrics());
    });
    app.use((0, webhook_router_1.webhookRouter)(services, metrics));
    const devTools = opts.config.env !== 'production';
    const schema = await (0, schema_1.buildAppSchema)();
    const requestIdPlugin = {
        async requestDidStart() {
            return {
                async willSendResponse({ response, contextValue }) {
                    if (response.body.kind !== 'single')
                        return;
                    const r = response.body.singleResult;
                    r.extensions = { ...(r.extensions ?? {}), ...contextValue.extensions };
                    for (const e of r.errors ?? []) {
                        if (e.extensions?.code === 'INTERNAL_SERVER_ERROR')
                            e.extensions.requestId = contextValue.ctx.requestId;
                    }
                },
            };
        },
    };
    const apollo = new server_1.ApolloServer({
        schema,
        formatError: (0, format_error_1.makeFormatError)(opts.logger),
        includeStacktraceInErrorResponses: false,
        introspection: devTools,
        plugins: [(0, disabled_1.ApolloServerPluginLandingPageDisabled)(), (0, disabled_1.ApolloServerPluginInlineTraceDisabled)(), (0, drainHttpServer_1.ApolloServerPluginDrainHttpServer)({ httpServer: server }), requestIdPlugin, ...modules.apolloPlugins],
        validationRules: modules.validationRules,
    });
    await apollo.start();
    if (devTools) {
        app.use((0, ide_1.ideRouter)());
        app.get('/graphql', (req, res, next) => {
            if (req.query.query === undefined && req.accepts(['json', 'html']) === 'html')
                return void res.type('html').send(ide_1.IDE_HTML);
            next();
        });
    }
    app.use('/graphql', express_1.default.json({ limit: opts.config.graphqlMaxBytes }), (0, express5_1.expressMiddleware)(apollo, {
        context: async ({ req, res }) => {
            const actor = (0, authenticate_1.authenticate)(opts.config, req.get('authorization') ?? undefined);
            const ctx = new context_1.RequestContext(services, actor, String(res.locals.requestId));
            return (0, context_2.createGqlContext)(ctx);
        },
    }));
    // Errors outside GraphQL (bad JSON bodies, oversized payloads): a clear status, never a stack.
    app.use((err, _req, res, _next) => {
        const status = err.status ?? err.statusCode ?? 500;
        if (status >= 500)
            opts.logger.error({ err, requestId: res.locals.requestId }, 'unhandled error');
        const message = status === 413 ? 'request body too large' : err.type === 'entity.parse.failed' ? 'malformed JSON body' : status < 500 ? (err.message ?? 'bad request') : 'internal server error';
        res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR', requestId: res.locals.requestId } }] });
    });
    return {
        services,
        metrics,
        express: app,
        server,
        apollo,
        startWorkers: () => modules.startWorkers(),
        async stop() {
            await modules.stopWorkers();
            await apollo.stop();
            if (server.listening)
                await new Promise((r) => server.close(() => r()));
        },
    };
}
//# sourceMappingURL=app.js.map