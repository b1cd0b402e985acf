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
exports.webhookRouter = webhookRouter;
const express_1 = __importStar(require("express"));
const context_1 = require("../db/context");
const webhook_service_1 = require("./webhook.service");
const webhook_event_entity_1 = require("./webhook-event.entity");
const SOURCES = { oms: webhook_event_entity_1.WebhookSource.OMS, psp: webhook_event_entity_1.WebhookSource.PSP, erp: webhook_event_entity_1.WebhookSource.ERP };
/** Mounted before any JSON parser: the signature is over the raw bytes. */
function webhookRouter(app, metrics) {
    const router = (0, express_1.Router)();
    router.post('/webhooks/:source', express_1.default.raw({ type: () => true, limit: app.config.webhookMaxBytes }), async (req, res, next) => {
        try {
            const source = SOURCES[String(req.params.source)];
            if (!source)
                return void res.status(404).json({ error: 'unknown webhook source' });
            const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
            const ctx = context_1.RequestContext.system(app, String(res.locals.requestId ?? ''));
            const out = await (0, webhook_service_1.receiveWebhook)(ctx, source, raw, {
                signature: req.get('x-signature') ?? undefined,
                eventId: req.get('x-event-id') ?? undefined,
            });
            const { status, ...body } = out;
            metrics?.webhooks.inc({ source, status: String(status) });
            res.status(status).json(body);
        }
        catch (err) {
            next(err);
        }
    });
    return router;
}
//# sourceMappingURL=webhook.router.js.map