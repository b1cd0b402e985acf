import { z } from 'zod';
import { RequestContext } from '../../db/context';
import { versionedUpsert } from '../../db/upsert';
import { currency, envelope, id, isoTime, minorUnits, parseOrThrow, version } from '../../webhooks/payload';
import { ErpPostingKind, ErpPostingStatus } from './entities';

export const postingSchema = z.object({
  documentId: id,
  kind: z.nativeEnum(ErpPostingKind),
  externalRef: z.string().min(1).max(128),
  orderId: id.nullable().optional(),
  amount: minorUnits,
  currency,
  status: z.nativeEnum(ErpPostingStatus),
  reasonCode: z.string().max(64).nullable().optional(),
  postedAt: isoTime,
  version: version.default(1n),
});

const postingCreated = envelope('posting.created', z.object({ posting: postingSchema }));

export async function recordErpPosting(tx: RequestContext, p: z.infer<typeof postingSchema>): Promise<void> {
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

/** Applies one verified ERP event inside the caller's transaction. Returns the order it concerns. */
export async function applyErpEvent(tx: RequestContext, type: string, body: unknown): Promise<string | null> {
  if (type !== 'posting.created') return null;
  const { posting } = parseOrThrow(postingCreated, body).data;
  await recordErpPosting(tx, posting);
  return posting.orderId ?? null;
}
