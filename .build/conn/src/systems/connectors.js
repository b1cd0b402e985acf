"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.connectorsOf = connectorsOf;
const erp_connector_1 = require("./erp/erp.connector");
const oms_connector_1 = require("./oms/oms.connector");
const psp_connector_1 = require("./psp/psp.connector");
/**
 * One connector per upstream per AppServices: the circuit breaker's memory of failures must be
 * shared by every caller, or a dead system would still be hammered from each request.
 */
function connectorsOf(app) {
    const cached = app.registry.get('connectors');
    if (cached)
        return cached;
    const u = app.config.upstream;
    const opts = { breakerThreshold: u.breakerThreshold, halfOpenAfterMs: u.breakerHalfOpenMs, retries: u.retries };
    const connectors = {
        psp: new psp_connector_1.PspConnector(u.pspBaseUrl, u.timeoutMs, opts),
        oms: new oms_connector_1.OmsConnector(u.omsBaseUrl, u.timeoutMs, opts),
        erp: new erp_connector_1.ErpConnector(u.erpBaseUrl, u.timeoutMs, opts),
    };
    app.registry.set('connectors', connectors);
    return connectors;
}
//# sourceMappingURL=connectors.js.map