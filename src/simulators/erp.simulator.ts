/**
 * ERP simulator: journal postings, idempotent on externalRef by default, with seed 002's failure
 * modes switchable (double-posting, rejected postings, a partial refund overwriting the previous one).
 */
import { bodyOf, param, query, newId, notFound } from './http-kit';
import { simBase, type SimOptions } from './sim-base';
import { count, flag, oneOf, optStr, parseCurrency, parseMinor, reqStr } from './validators';

export const POSTING_KINDS = ['INVOICE', 'REFUND', 'CAPTURE', 'SETTLEMENT'] as const;
export type PostingKind = (typeof POSTING_KINDS)[number];

export interface ErpPosting {
  documentId: string;
  kind: PostingKind;
  externalRef: string;
  orderId: string | null;
  amount: bigint;
  currency: string;
  status: 'POSTED' | 'REJECTED';
  reasonCode: string | null;
  postedAt: string;
  version: number;
}

export function createErpSimulator(opts: SimOptions = {}) {
  const state = { postings: new Map<string, ErpPosting>() };
  const base = simBase('erp', opts, {
    faults: { nonIdempotent: false, rejectNext: 0, overwritePartials: false },
    applyFaults: (b, f) => {
      if (b.nonIdempotent !== undefined) f.nonIdempotent = flag(b.nonIdempotent, 'nonIdempotent');
      if (b.rejectNext !== undefined) f.rejectNext = count(b.rejectNext, 'rejectNext');
      if (b.overwritePartials !== undefined) f.overwritePartials = flag(b.overwritePartials, 'overwritePartials');
    },
    dump: () => ({ ...state }),
    reset: () => state.postings.clear(),
  });
  const { route, emit, now, faults } = base;
  const all = () => [...state.postings.values()];

  route('post', '/journal-entries', async (req) => {
    const b = bodyOf(req);
    const kind = oneOf(b.kind, POSTING_KINDS, 'kind');
    const externalRef = reqStr(b.externalRef, 'externalRef');
    const orderId = optStr(b.orderId, 'orderId') ?? null;
    const amount = parseMinor(b.amount, 'amount', { signed: true });
    const currency = parseCurrency(b.currency);
    const reasonCode = optStr(b.reasonCode, 'reasonCode') ?? null;

    if (!faults.nonIdempotent) {
      const existing = all().find((p) => p.externalRef === externalRef);
      if (existing) return { status: 200, body: existing };
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
    const posting: ErpPosting = {
      documentId: newId('doc'),
      kind,
      externalRef,
      orderId,
      amount,
      currency,
      status: rejected ? 'REJECTED' : 'POSTED',
      reasonCode: rejected ? 'UNMAPPED_REASON_CODE' : reasonCode,
      postedAt: now(),
      version: 1,
    };
    state.postings.set(posting.documentId, posting);
    await emit('posting.created', { posting });
    return { status: 201, body: posting };
  });

  route('get', '/journal-entries', (req) => {
    const q = (k: string) => query(req, k);
    const orderId = q('orderId');
    const externalRef = q('externalRef');
    const postings = all().filter((p) => (orderId === undefined || p.orderId === orderId) && (externalRef === undefined || p.externalRef === externalRef));
    return { status: 200, body: { postings } };
  });

  route('get', '/journal-entries/:documentId', (req) => {
    const p = state.postings.get(param(req, 'documentId'));
    if (!p) throw notFound(`Document ${param(req, 'documentId')} not found`);
    return { status: 200, body: p };
  });

  return { app: base.app, state, webhooks: base.webhooks, faults, start: base.start };
}
