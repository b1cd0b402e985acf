"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run db:start`: a private MariaDB for development (data kept in .data/mariadb-dev), with
 * the application database created and migrated. Prints DATABASE_URL; Ctrl-C stops it.
 */
require("reflect-metadata");
const node_path_1 = __importDefault(require("node:path"));
const promise_1 = require("mysql2/promise");
const data_source_1 = require("../src/db/data-source");
const local_server_1 = require("../src/db/local-server");
async function main() {
    const server = await (0, local_server_1.ensureDatabaseServer)(undefined, {
        dataDir: node_path_1.default.resolve(__dirname, '..', '..', '.data', 'mariadb-dev'),
        fresh: false,
        log: (m) => console.log(m),
    });
    const u = new URL(server.url);
    const c = await (0, promise_1.createConnection)({ host: u.hostname, port: Number(u.port), user: 'root' });
    await c.query('CREATE DATABASE IF NOT EXISTS moneygraph CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await c.end();
    u.pathname = '/moneygraph';
    const ds = (0, data_source_1.createDataSource)(u.toString());
    await ds.initialize();
    const ran = await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
    console.log(`${ran.length} migration(s) applied.\n\nexport DATABASE_URL=${u.toString()}\n\nCtrl-C stops the server.`);
    const stop = async () => {
        await server.stop();
        process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}
main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});
//# sourceMappingURL=db-start.js.map