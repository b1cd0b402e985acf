/** The ERP module's write API: its mirror of the ERP's journal postings, inside the caller's transaction. */
import type { RequestContext } from '../../db/context';
import { versionedUpsert } from '../../db/upsert';
import type { ErpPostingKind, ErpPostingStatus } from './entities';

export interface ErpPostingRow {
  documentId: string;
  kind: ErpPostingKind;
  externalRef: string;
  orderId?: string | null;
  amount: bigint;
  currency: string;
  status: ErpPostingStatus;
  reasonCode?: string | null;
  postedAt: Date;
  version: bigint;
}

/** Upserts a posting by its document id (a newer version wins): a webhook and a read-back of the same document are one row. */
export async function recordErpPosting(tx: RequestContext, p: ErpPostingRow): Promise<void> {
  await versionedUpsert(
    tx,
    'erp_posting',
    {
      id: p.documentId,
      kind: p.kind,
      external_ref: p.externalRef,
      order_id: p.orderId ?? null,
      amount_minor: p.amount,
      currency: p.currency,
      status: p.status,
      reason_code: p.reasonCode ?? null,
      posted_at: p.postedAt,
      source_version: p.version,
    },
    ['id'],
  );
}
