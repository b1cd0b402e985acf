/** ERP webhook ingestion: the posting contract, parsed, then written through the store. */
import { z } from 'zod';
import type { RequestContext, WebhookApplier } from '../../db/context';
import { currency, envelope, id, isoTime, minorUnits, parseOrThrow, version } from '../../shared/payload';
import { ErpPostingKind, ErpPostingStatus } from './entities';
import { recordErpPosting } from './erp.store';

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

/** Applies one verified ERP event inside the caller's transaction. Returns the order it concerns. */
async function applyErpEvent(tx: RequestContext, type: string, body: unknown): Promise<string | null> {
  if (type !== 'posting.created') return null;
  const { posting } = parseOrThrow(postingCreated, body).data;
  await recordErpPosting(tx, posting);
  return posting.orderId ?? null;
}

export const erpWebhookApplier: WebhookApplier = { eventTypes: ['posting.created'], apply: applyErpEvent };
