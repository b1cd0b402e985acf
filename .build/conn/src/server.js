"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.startService = startService;
const app_1 = require("./app");
const data_source_1 = require("./db/data-source");
const local_server_1 = require("./db/local-server");
const logger_1 = require("./logger");
async function startService(config, opts = {}) {
    const logger = (0, logger_1.createLogger)(config.logLevel);
    const db = await (0, local_server_1.ensureDatabaseServer)(config.databaseUrl, {
        dataDir: opts.dataDir,
        fresh: opts.freshDb,
        log: (m) => logger.info(m),
    });
    let url = db.url;
    if (db.managed) {
        // A private server starts empty: the application database lives inside it.
        const { createConnection } = await Promise.resolve().then(() => __importStar(require('mysql2/promise')));
        const u = new URL(db.url);
        const c = await createConnection({ host: u.hostname, port: Number(u.port), user: 'root' });
        await c.query('CREATE DATABASE IF NOT EXISTS moneygraph CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
        await c.end();
        u.pathname = '/moneygraph';
        url = u.toString();
    }
    const dataSource = (0, data_source_1.createDataSource)(url);
    await dataSource.initialize();
    if (config.migrateOnStart) {
        const ran = await dataSource.runMigrations({ transaction: 'each' });
        if (ran.length)
            logger.info({ migrations: ran.map((m) => m.name) }, 'migrations applied');
    }
    const app = await (0, app_1.createApp)({ config: { ...config, databaseUrl: url }, dataSource, logger });
    const port = opts.port ?? config.port;
    await new Promise((resolve, reject) => {
        app.server.once('error', reject);
        app.server.listen(port, config.host, () => resolve());
    });
    const addr = app.server.address();
    app.startWorkers();
    return {
        app,
        url: `http://${config.host}:${addr.port}`,
        db,
        async stop() {
            await app.stop();
            await dataSource.destroy();
            await db.stop();
        },
    };
}
//# sourceMappingURL=server.js.map