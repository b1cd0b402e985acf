"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createMetrics = createMetrics;
const prom_client_1 = require("prom-client");
/** One registry per app instance, so tests can build several apps in one process. */
function createMetrics() {
    const registry = new prom_client_1.Registry();
    (0, prom_client_1.collectDefaultMetrics)({ register: registry });
    return {
        registry,
        httpRequests: new prom_client_1.Counter({ name: 'moneygraph_http_requests_total', help: 'HTTP requests', labelNames: ['route', 'status'], registers: [registry] }),
        httpDuration: new prom_client_1.Histogram({
            name: 'moneygraph_http_request_duration_seconds',
            help: 'HTTP request duration',
            labelNames: ['route'],
            buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
            registers: [registry],
        }),
        webhooks: new prom_client_1.Counter({ name: 'moneygraph_webhooks_total', help: 'Webhook deliveries by source and outcome', labelNames: ['source', 'status'], registers: [registry] }),
        refunds: new prom_client_1.Counter({ name: 'moneygraph_refunds_total', help: 'Refund outcomes', labelNames: ['status'], registers: [registry] }),
    };
}
//# sourceMappingURL=metrics.js.map