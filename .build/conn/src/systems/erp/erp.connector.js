"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ErpConnector = void 0;
/**
 * The ERP's journal API as moneygraph speaks it. Idempotency-Key = externalRef (the PSP refund
 * id for a refund), so a retried or replayed posting cannot book twice on an idempotent ERP.
 */
const zod_1 = require("zod");
const http_client_1 = require("../../shared/http-client");
const upstream_answer_1 = require("../upstream-answer");
const erp_webhooks_1 = require("./erp.webhooks");
const postings = zod_1.z.object({ postings: zod_1.z.array(erp_webhooks_1.postingSchema).max(100_000) });
class ErpConnector {
    constructor(baseUrl, timeoutMs, opts = {}) {
        this.http = new http_client_1.HttpClient('erp', baseUrl, timeoutMs, opts);
        this.retries = opts.retries;
    }
    /** POST /journal-entries. A REJECTED document is an answer (the ERP refused the booking), not an error. */
    async postJournalEntry(ctx, e) {
        const res = await this.http.request(ctx, 'POST', '/journal-entries', { kind: e.kind, externalRef: e.externalRef, orderId: e.orderId, amount: e.amountMinor.toString(), currency: e.currency, reasonCode: e.reasonCode ?? null }, { idempotencyKey: e.externalRef, retries: this.retries });
        const posting = (0, upstream_answer_1.parseAnswer)('erp', 'POST /journal-entries', erp_webhooks_1.postingSchema, res.body);
        return { documentId: posting.documentId, status: posting.status, raw: res.body, posting };
    }
    /** GET /journal-entries?orderId=&externalRef=: what the ERP has booked. */
    async getPostings(ctx, q) {
        const params = new URLSearchParams();
        if (q.orderId !== undefined)
            params.set('orderId', q.orderId);
        if (q.externalRef !== undefined)
            params.set('externalRef', q.externalRef);
        const qs = params.toString();
        const res = await this.http.request(ctx, 'GET', `/journal-entries${qs ? `?${qs}` : ''}`, undefined, { retries: this.retries });
        return (0, upstream_answer_1.parseAnswer)('erp', 'GET /journal-entries', postings, res.body).postings;
    }
}
exports.ErpConnector = ErpConnector;
//# sourceMappingURL=erp.connector.js.map