"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.listen = exports.WebhookSender = exports.createPspSimulator = exports.createOmsSimulator = exports.createErpSimulator = void 0;
exports.startSimulators = startSimulators;
// Owns the in-process OMS, PSP and ERP simulators: starting them, pointing their signed webhooks at the service, closing them.
// Demo data and all test traffic enter moneygraph through these simulators, never by writing to its database.
const erp_simulator_1 = require("./erp.simulator");
Object.defineProperty(exports, "createErpSimulator", { enumerable: true, get: function () { return erp_simulator_1.createErpSimulator; } });
const oms_simulator_1 = require("./oms.simulator");
Object.defineProperty(exports, "createOmsSimulator", { enumerable: true, get: function () { return oms_simulator_1.createOmsSimulator; } });
const psp_simulator_1 = require("./psp.simulator");
Object.defineProperty(exports, "createPspSimulator", { enumerable: true, get: function () { return psp_simulator_1.createPspSimulator; } });
var http_1 = require("./http");
Object.defineProperty(exports, "WebhookSender", { enumerable: true, get: function () { return http_1.WebhookSender; } });
Object.defineProperty(exports, "listen", { enumerable: true, get: function () { return http_1.listen; } });
async function startSimulators(opts) {
    const common = { webhookUrl: opts.serviceUrl, clock: opts.clock };
    const oms = (0, oms_simulator_1.createOmsSimulator)({ ...common, secret: opts.secrets.OMS });
    const psp = (0, psp_simulator_1.createPspSimulator)({ ...common, secret: opts.secrets.PSP });
    const erp = (0, erp_simulator_1.createErpSimulator)({ ...common, secret: opts.secrets.ERP });
    const served = await Promise.all([oms.start(opts.ports?.oms), psp.start(opts.ports?.psp), erp.start(opts.ports?.erp)]);
    const sims = [oms, psp, erp];
    return {
        oms,
        psp,
        erp,
        urls: { oms: served[0].url, psp: served[1].url, erp: served[2].url },
        setServiceUrl(url) {
            for (const s of sims)
                s.webhooks.setTarget(url);
        },
        /** Sends what queued while there was no service URL (or in hold mode); OMS, then PSP, then ERP. */
        async flush() {
            let sent = 0;
            for (const s of sims)
                sent += await s.webhooks.flush();
            return sent;
        },
        async close() {
            await Promise.all(served.map((s) => s.close()));
        },
    };
}
//# sourceMappingURL=index.js.map