"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEMO_KEYS = void 0;
exports.createTestDatabase = createTestDatabase;
exports.migratedDataSource = migratedDataSource;
exports.createTestApp = createTestApp;
exports.stopTestServer = stopTestServer;
/**
 * createTestApp: a per-file database built by the real migrations, the service on a free port,
 * and the three simulators wired to it by signed webhooks — data enters as in production.
 */
require("reflect-metadata");
const node_crypto_1 = require("node:crypto");
const promise_1 = require("mysql2/promise");
const supertest_1 = __importDefault(require("supertest"));
const app_1 = require("../../src/app");
const config_1 = require("../../src/config");
const data_source_1 = require("../../src/db/data-source");
const local_server_1 = require("../../src/db/local-server");
const logger_1 = require("../../src/logger");
const simulators_1 = require("../../src/simulators");
let sharedServer;
/** The server the runner started (MG_TEST_SERVER_URL), or one of our own when a file runs alone. */
function testServer() {
    sharedServer ??= (0, local_server_1.ensureDatabaseServer)(process.env.MG_TEST_SERVER_URL || process.env.DATABASE_URL);
    return sharedServer;
}
async function createTestDatabase() {
    const server = await testServer();
    const name = `mgt_${process.pid}_${(0, node_crypto_1.randomBytes)(4).toString('hex')}`;
    const base = new URL(server.url);
    const conn = await (0, promise_1.createConnection)({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username || 'root'), password: decodeURIComponent(base.password) });
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.end();
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    return {
        url: url.toString(),
        name,
        async drop() {
            const c = await (0, promise_1.createConnection)({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username || 'root'), password: decodeURIComponent(base.password) });
            await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
            await c.end();
        },
    };
}
async function migratedDataSource(url) {
    const ds = (0, data_source_1.createDataSource)(url);
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    return ds;
}
exports.DEMO_KEYS = {
    SUPPORT: 'demo-support-key',
    ANALYST: 'demo-analyst-key',
    FINANCE: 'demo-finance-key',
    ADMIN: 'demo-admin-key',
};
async function createTestApp(opts = {}) {
    const db = await createTestDatabase();
    const dataSource = await migratedDataSource(db.url);
    const secrets = { OMS: 'test-oms-secret-0123456789', PSP: 'test-psp-secret-0123456789', ERP: 'test-erp-secret-0123456789' };
    const sims = await (0, simulators_1.startSimulators)({ secrets });
    const config = (0, config_1.loadConfig)({
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.MG_TEST_LOG_LEVEL ?? 'silent',
        DATABASE_URL: db.url,
        WEBHOOK_SECRET_OMS: secrets.OMS,
        WEBHOOK_SECRET_PSP: secrets.PSP,
        WEBHOOK_SECRET_ERP: secrets.ERP,
        OMS_BASE_URL: sims.urls.oms,
        PSP_BASE_URL: sims.urls.psp,
        ERP_BASE_URL: sims.urls.erp,
        UPSTREAM_TIMEOUT_MS: '1000',
        ...opts.env,
    }, opts.config);
    const app = await (0, app_1.createApp)({ config, dataSource, logger: (0, logger_1.createLogger)(config.logLevel), clock: opts.clock });
    await new Promise((r) => app.server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${app.server.address().port}`;
    sims.setServiceUrl(url);
    if (opts.workers)
        app.startWorkers();
    const http = (0, supertest_1.default)(app.server);
    return {
        app,
        url,
        config,
        db,
        dataSource,
        sims,
        http,
        async gql(role, query, variables) {
            const req = http.post('/graphql').set('Content-Type', 'application/json');
            if (role)
                req.set('Authorization', `Bearer ${exports.DEMO_KEYS[role]}`);
            const res = await req.send({ query, variables });
            return { status: res.status, ...res.body };
        },
        async close() {
            await app.stop();
            await sims.close();
            await dataSource.destroy();
            await db.drop();
        },
    };
}
/** Closes the shared database server this process started, if any (call from an `after` hook). */
async function stopTestServer() {
    if (sharedServer)
        await (await sharedServer).stop();
    sharedServer = undefined;
}
//# sourceMappingURL=test-app.js.map