"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** `npm start`: the service alone, against configured upstream systems. */
require("reflect-metadata");
const node_path_1 = __importDefault(require("node:path"));
const config_1 = require("./config");
const server_1 = require("./server");
async function main() {
    const config = (0, config_1.loadConfig)();
    const svc = await (0, server_1.startService)(config, { dataDir: node_path_1.default.resolve(__dirname, '..', '..', '.data', 'mariadb-dev'), freshDb: false });
    svc.app.services.logger.info({ url: `${svc.url}/graphql` }, 'moneygraph listening');
    const shutdown = async () => {
        await svc.stop();
        process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
}
main().catch((err) => {
    console.error(err instanceof config_1.ConfigError ? err.message : err);
    process.exit(1);
});
//# sourceMappingURL=main.js.map