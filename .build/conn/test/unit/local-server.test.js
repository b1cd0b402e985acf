"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = __importDefault(require("node:path"));
const promise_1 = require("mysql2/promise");
const local_server_1 = require("../../src/db/local-server");
(0, node_test_1.test)('an explicit DATABASE_URL is returned unmanaged', async () => {
    const server = await (0, local_server_1.ensureDatabaseServer)('mysql://app:secret@db.example:3306/moneygraph');
    strict_1.default.equal(server.url, 'mysql://app:secret@db.example:3306/moneygraph');
    strict_1.default.equal(server.managed, false);
    await server.stop();
});
(0, node_test_1.test)('without a URL a managed MariaDB is started, usable, and fully removed on stop', { timeout: 90_000 }, async () => {
    const parent = (0, node_fs_1.mkdtempSync)(node_path_1.default.join((0, node_os_1.tmpdir)(), 'local-server-test-'));
    const dataDir = node_path_1.default.join(parent, 'data');
    const server = await (0, local_server_1.ensureDatabaseServer)(undefined, { dataDir, fresh: true });
    try {
        strict_1.default.equal(server.managed, true);
        strict_1.default.match(server.url, /^mariadb:\/\/root@127\.0\.0\.1:\d+$/);
        strict_1.default.ok((0, node_fs_1.existsSync)(node_path_1.default.join(dataDir, 'mysql')), 'data dir was initialised');
        const conn = await (0, promise_1.createConnection)(server.url);
        try {
            const [rows] = await conn.query('SELECT VERSION() AS v');
            strict_1.default.match(String(rows[0].v), /MariaDB/);
            await conn.query('CREATE DATABASE moneygraph_test');
            const [dbs] = await conn.query("SHOW DATABASES LIKE 'moneygraph_test'");
            strict_1.default.equal(dbs.length, 1);
        }
        finally {
            await conn.end();
        }
    }
    finally {
        await server.stop();
    }
    await strict_1.default.rejects((0, promise_1.createConnection)({ uri: server.url, connectTimeout: 2000 }), { code: 'ECONNREFUSED' });
    strict_1.default.equal((0, node_fs_1.existsSync)(dataDir), false, 'fresh data dir is removed on stop');
    await server.stop(); // idempotent
    (0, node_fs_1.rmSync)(parent, { recursive: true, force: true });
});
//# sourceMappingURL=local-server.test.js.map