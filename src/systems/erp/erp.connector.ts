/**
 * The ERP's journal API as moneygraph speaks it. Idempotency-Key = externalRef (the PSP refund
 * id for a refund), so a retried or replayed posting cannot book twice on an idempotent ERP.
 */
import { z } from 'zod';
import { RequestContext } from '../../db/context';
import { HttpClient, UpstreamError } from '../../shared/http-client';
import { ConnectorOptions, parseAnswer } from '../../shared/upstream-answer';
import { postingSchema } from './erp.ingest';

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

  /**
   * Books a journal entry at most once, even on an ERP that ignores Idempotency-Key (seed 002's
   * double-posting): before every attempt it reads back what the ERP holds under externalRef, and
   * a POST whose answer was lost is never blindly re-sent. A REJECTED document is an answer (the
   * ERP refused the booking), not an error.
   */
  async postJournalEntry(ctx: RequestContext, e: JournalEntry): Promise<{ documentId: string; status: 'POSTED' | 'REJECTED'; raw: unknown; posting: ErpPostingRecord }> {
    const attempts = 1 + (this.retries ?? 2);
    for (let attempt = 1; ; attempt++) {
      const [booked] = await this.getPostings(ctx, { externalRef: e.externalRef });
      if (booked) return { documentId: booked.documentId, status: booked.status, raw: booked, posting: booked };
      try {
        const res = await this.http.request(
          ctx,
          'POST',
          '/journal-entries',
          { kind: e.kind, externalRef: e.externalRef, orderId: e.orderId, amount: e.amountMinor.toString(), currency: e.currency, reasonCode: e.reasonCode ?? null },
          { idempotencyKey: e.externalRef, retries: 0 },
        );
        const posting = parseAnswer('erp', 'POST /journal-entries', postingSchema, res.body);
        return { documentId: posting.documentId, status: posting.status, raw: res.body, posting };
      } catch (err) {
        // The ERP may have booked it: the next attempt reads back before posting again.
        if (!(err instanceof UpstreamError) || !err.outcomeUnknown || attempt >= attempts) throw err;
      }
    }
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
