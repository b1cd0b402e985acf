"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm test`: one private MariaDB for the whole run (unless DATABASE_URL points at one), then
 * Node's test runner over every compiled test file; each file creates its own database in it.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_path_1 = __importDefault(require("node:path"));
const config_1 = require("../src/config");
const local_server_1 = require("../src/db/local-server");
function findTests(dir) {
    return (0, node_fs_1.readdirSync)(dir).flatMap((name) => {
        const p = node_path_1.default.join(dir, name);
        if ((0, node_fs_1.statSync)(p).isDirectory())
            return findTests(p);
        return name.endsWith('.test.js') ? [p] : [];
    });
}
async function main() {
    const config = (0, config_1.loadConfig)();
    const root = node_path_1.default.resolve(__dirname, '..', 'test');
    const filters = process.argv.slice(2);
    const files = findTests(root).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
    if (files.length === 0)
        throw new Error(`no test files match ${filters.join(' ')}`);
    const server = await (0, local_server_1.ensureDatabaseServer)(config.databaseUrl, { log: (m) => console.log(m) });
    const code = await new Promise((resolve) => {
        const child = (0, node_child_process_1.spawn)(process.execPath, ['--test', '--test-reporter=spec', `--test-concurrency=${process.env.MG_TEST_CONCURRENCY ?? 2}`, ...files], {
            stdio: 'inherit',
            env: { ...process.env, MG_TEST_SERVER_URL: server.url },
        });
        child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
    });
    await server.stop();
    process.exit(code);
}
main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
});
//# sourceMappingURL=test.js.map