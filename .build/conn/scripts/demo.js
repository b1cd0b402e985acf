"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run demo`: a private MariaDB, the three upstream simulators, moneygraph wired to them,
 * and demo data created through the simulators. Prints the URLs and keeps running until Ctrl-C.
 */
require("reflect-metadata");
const node_path_1 = __importDefault(require("node:path"));
const config_1 = require("../src/config");
const server_1 = require("../src/server");
const simulators_1 = require("../src/simulators");
const demo_data_1 = require("./demo-data");
const outbox_1 = require("../src/outbox");
async function main() {
    const env = { LOG_LEVEL: 'warn', ...process.env };
    const base = (0, config_1.loadConfig)(env);
    const sims = await (0, simulators_1.startSimulators)({ secrets: base.webhookSecrets, ports: { oms: 4101, psp: 4102, erp: 4103 } }).catch(() => (0, simulators_1.startSimulators)({ secrets: base.webhookSecrets }));
    const config = (0, config_1.loadConfig)({ ...env, OMS_BASE_URL: sims.urls.oms, PSP_BASE_URL: sims.urls.psp, ERP_BASE_URL: sims.urls.erp });
    const svc = await (0, server_1.startService)(config, { dataDir: node_path_1.default.resolve(__dirname, '..', '..', '.data', 'mariadb-demo'), freshDb: true }).catch(async (err) => {
        if (err.code !== 'EADDRINUSE')
            throw err;
        console.log(`port ${config.port} is busy; using a free port`);
        return (0, server_1.startService)(config, { dataDir: node_path_1.default.resolve(__dirname, '..', '..', '.data', 'mariadb-demo'), freshDb: true, port: 0 });
    });
    sims.setServiceUrl(svc.url);
    process.stdout.write('creating demo data through the simulators… ');
    const summary = await (0, demo_data_1.seedDemo)(sims, 60, (n) => n % 10 === 0 && process.stdout.write(`${n} `));
    await (0, outbox_1.drainOutbox)(svc.app.services);
    await (0, demo_data_1.closeDemoSettlement)(sims);
    await (0, outbox_1.drainOutbox)(svc.app.services);
    console.log('done');
    console.log(`
moneygraph is running.

  GraphQL (IDE in a browser):  ${svc.url}/graphql
  Health / readiness / metrics: ${svc.url}/healthz  ${svc.url}/readyz  ${svc.url}/metrics
  Simulators:  OMS ${sims.urls.oms}   PSP ${sims.urls.psp}   ERP ${sims.urls.erp}

  Demo credentials (header "Authorization: Bearer <key>"):
    demo-support-key  demo-analyst-key  demo-finance-key  demo-admin-key

  Try:  curl -s ${svc.url}/graphql -H 'Authorization: Bearer demo-support-key' -H 'Content-Type: application/json' \\
          -d '{"query":"{ order(id: \\"${summary.twoReturnsOrder}\\") { status invoices { id kind amount { amount } } refunds { status amount { amount } } moneyState { captured { amount } refunded { amount } pendingRefund { amount } } } }"}'

  Orders of note: two returns ${summary.twoReturnsOrder}, disputed ${summary.disputedOrder}, authorized only ${summary.authorizedOnlyOrder},
  partial captures ${summary.partialCaptureOrders.slice(0, 3).join(', ')}…, OMS-rejected ${summary.rejectedOrder},
  captured without an order: payment ${summary.orphanPayment}.
Ctrl-C stops everything.`);
    const stop = async () => {
        await svc.stop();
        await sims.close();
        process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}
main().catch((err) => {
    console.error(err instanceof config_1.ConfigError ? err.message : err);
    process.exit(1);
});
//# sourceMappingURL=demo.js.map