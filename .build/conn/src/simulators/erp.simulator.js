"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.POSTING_KINDS = void 0;
exports.createErpSimulator = createErpSimulator;
/**
 * ERP simulator: journal postings, idempotent on externalRef by default, with seed 002's failure
 * modes switchable (double-posting, rejected postings, a partial refund overwriting the previous one).
 */
const http_1 = require("./http");
exports.POSTING_KINDS = ['INVOICE', 'REFUND', 'CAPTURE', 'SETTLEMENT'];
function createErpSimulator(opts = {}) {
    const state = { postings: new Map() };
    const base = (0, http_1.simBase)('erp', opts, {
        faults: { nonIdempotent: false, rejectNext: 0, overwritePartials: false },
        applyFaults: (b, f) => {
            if (b.nonIdempotent !== undefined)
                f.nonIdempotent = (0, http_1.flag)(b.nonIdempotent, 'nonIdempotent');
            if (b.rejectNext !== undefined)
                f.rejectNext = (0, http_1.count)(b.rejectNext, 'rejectNext');
            if (b.overwritePartials !== undefined)
                f.overwritePartials = (0, http_1.flag)(b.overwritePartials, 'overwritePartials');
        },
        dump: () => ({ ...state }),
        reset: () => state.postings.clear(),
    });
    const { route, emit, now, faults } = base;
    const all = () => [...state.postings.values()];
    route('post', '/journal-entries', async (req) => {
        const b = (0, http_1.bodyOf)(req);
        const kind = (0, http_1.oneOf)(b.kind, exports.POSTING_KINDS, 'kind');
        const externalRef = (0, http_1.reqStr)(b.externalRef, 'externalRef');
        const orderId = (0, http_1.optStr)(b.orderId, 'orderId') ?? null;
        const amount = (0, http_1.parseMinor)(b.amount, 'amount', { signed: true });
        const currency = (0, http_1.parseCurrency)(b.currency);
        const reasonCode = (0, http_1.optStr)(b.reasonCode, 'reasonCode') ?? null;
        if (!faults.nonIdempotent) {
            const existing = all().find((p) => p.externalRef === externalRef);
            if (existing)
                return { status: 200, body: existing };
        }
        if (faults.overwritePartials && kind === 'REFUND' && orderId) {
            // Seed 002's "partial refund treated as a replacement": the earlier document silently takes the new amount.
            const earlier = all().find((p) => p.kind === 'REFUND' && p.orderId === orderId && p.status === 'POSTED');
            if (earlier) {
                Object.assign(earlier, { amount, postedAt: now(), version: earlier.version + 1 });
                await emit('posting.created', { posting: earlier });
                return { status: 201, body: earlier };
            }
        }
        const rejected = faults.rejectNext > 0 && faults.rejectNext-- > 0;
        const posting = {
            documentId: (0, http_1.newId)('doc'), kind, externalRef, orderId, amount, currency,
            status: rejected ? 'REJECTED' : 'POSTED', reasonCode: rejected ? 'UNMAPPED_REASON_CODE' : reasonCode,
            postedAt: now(), version: 1,
        };
        state.postings.set(posting.documentId, posting);
        await emit('posting.created', { posting });
        return { status: 201, body: posting };
    });
    route('get', '/journal-entries', (req) => {
        const q = (k) => (0, http_1.query)(req, k);
        const orderId = q('orderId');
        const externalRef = q('externalRef');
        const postings = all().filter((p) => (orderId === undefined || p.orderId === orderId) && (externalRef === undefined || p.externalRef === externalRef));
        return { status: 200, body: { postings } };
    });
    route('get', '/journal-entries/:documentId', (req) => {
        const p = state.postings.get((0, http_1.param)(req, 'documentId'));
        if (!p)
            throw (0, http_1.notFound)(`Document ${(0, http_1.param)(req, 'documentId')} not found`);
        return { status: 200, body: p };
    });
    return { app: base.app, state, webhooks: base.webhooks, faults, start: base.start };
}
//# sourceMappingURL=erp.simulator.js.map