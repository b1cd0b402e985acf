/**
 * The ERP's journal API as moneygraph speaks it. Idempotency-Key = externalRef (the PSP refund
 * id for a refund), so a retried or replayed posting cannot book twice on an idempotent ERP.
 */
import { z } from 'zod';
import { RequestContext } from '../../db/context';
import { HttpClient } from '../../shared/http-client';
import { ConnectorOptions, parseAnswer } from '../upstream-answer';
import { postingSchema } from './erp.webhooks';

/** A posting as the `posting.created` contract describes it, parsed (bigint amounts): recordErpPosting takes it as is. */
export type ErpPostingRecord = z.output<typeof postingSchema>;

export interface JournalEntry {
  kind: 'INVOICE' | 'REFUND' | 'CAPTURE' | 'SETTLEMENT';
  externalRef: string;
  orderId: string | null;
  /** Signed minor units. */
  amountMinor: bigint;
  currency: string;
  reasonCode?: string | null;
}

const postings = z.object({ postings: z.array(postingSchema).max(100_000) });

export class ErpConnector {
  readonly http: HttpClient;
  private readonly retries?: number;

  constructor(baseUrl: string | undefined, timeoutMs: number, opts: ConnectorOptions = {}) {
    this.http = new HttpClient('erp', baseUrl, timeoutMs, opts);
    this.retries = opts.retries;
  }

  /** POST /journal-entries. A REJECTED document is an answer (the ERP refused the booking), not an error. */
  async postJournalEntry(ctx: RequestContext, e: JournalEntry): Promise<{ documentId: string; status: 'POSTED' | 'REJECTED'; raw: unknown; posting: ErpPostingRecord }> {
    const res = await this.http.request(
      ctx,
      'POST',
      '/journal-entries',
      { kind: e.kind, externalRef: e.externalRef, orderId: e.orderId, amount: e.amountMinor.toString(), currency: e.currency, reasonCode: e.reasonCode ?? null },
      { idempotencyKey: e.externalRef, retries: this.retries },
    );
    const posting = parseAnswer('erp', 'POST /journal-entries', postingSchema, res.body);
    return { documentId: posting.documentId, status: posting.status, raw: res.body, posting };
  }

  /** GET /journal-entries?orderId=&externalRef=: what the ERP has booked. */
  async getPostings(ctx: RequestContext, q: { orderId?: string; externalRef?: string }): Promise<ErpPostingRecord[]> {
    const params = new URLSearchParams();
    if (q.orderId !== undefined) params.set('orderId', q.orderId);
    if (q.externalRef !== undefined) params.set('externalRef', q.externalRef);
    const qs = params.toString();
    const res = await this.http.request(ctx, 'GET', `/journal-entries${qs ? `?${qs}` : ''}`, undefined, { retries: this.retries });
    return parseAnswer('erp', 'GET /journal-entries', postings, res.body).postings;
  }
}
