/**
 * PSP webhook ingestion: the contract of each event type, parsed, then written through the store.
 * A refund event is normalised here (seed 004's shapes) and handed to the `pspRefundReported` hook:
 * the refunds module owns the ledger it changes.
 */
import { z } from 'zod';
import type { RequestContext, WebhookApplier } from '../../db/context';
import { currency, envelope, id, isoTime, minorUnits, parseOrThrow, version } from '../../shared/payload';
import { PaymentMethodKind, PaymentMethodStatus, PaymentStatus, SettlementLineKind } from './entities';
import { normalizeRefundWebhook } from './psp-errors';
import { recordCapture, recordPayment, recordSettlement } from './psp.store';
import { applySettlementReported } from './psp-settlements';
import { NotApplicableYet } from '../../core/not-applicable-yet';

const paymentUpserted = envelope(
  'payment.upserted',
  z.object({
    payment: z.object({
      id,
      orderId: id.nullable().optional(),
      method: z.nativeEnum(PaymentMethodKind),
      paymentMethodId: id.nullable().optional(),
      paymentMethodStatus: z.nativeEnum(PaymentMethodStatus).default(PaymentMethodStatus.ACTIVE),
      customerId: id.nullable().optional(),
      status: z.nativeEnum(PaymentStatus),
      disputed: z.boolean().default(false),
      authorized: minorUnits,
      currency,
      createdAt: isoTime,
      version,
      /** Set by a vendor adapter's translation: the instance that took the payment. */
      pspAdapterId: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,31}$/)
        .nullish(),
    }),
  }),
);

const captureCreated = envelope(
  'capture.created',
  z.object({ capture: z.object({ id, paymentId: id, orderId: id.nullable().optional(), amount: minorUnits, currency, capturedAt: isoTime }) }),
);

const settlementClosed = envelope(
  'settlement.closed',
  z.object({
    settlement: z.object({
      id,
      currency,
      settledAt: isoTime,
      lines: z
        .array(
          z.object({
            id,
            kind: z.nativeEnum(SettlementLineKind),
            pspReference: id,
            orderId: id.nullable().optional(),
            gross: minorUnits,
            fee: minorUnits.default(0n),
            net: minorUnits.optional(),
            currency,
          }),
        )
        .max(100_000),
    }),
  }),
);

/** A vendor's dispute of a payment (Stripe's charge.dispute.created): the payment's dispute flag, newer than what set it before. */
const paymentDisputed = envelope(
  'payment.disputed',
  z.object({
    dispute: z.object({
      id,
      paymentId: id,
      chargeId: id.nullish(),
      amount: minorUnits,
      currency,
      reason: z.string().max(64).nullish(),
      version,
      pspAdapterId: z
        .string()
        .regex(/^[a-z][a-z0-9_]{0,31}$/)
        .nullish(),
    }),
  }),
);

/** A batch a vendor announced (Stripe's payout.paid): its lines come from the PSP's own record. */
const settlementReported = envelope(
  'settlement.reported',
  z.object({
    settlement: z.object({
      id,
      pspAdapterId: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
    }),
  }),
);

const PSP_REFUND_EVENT_NAMES = ['REFUND_SUCCEEDED', 'REFUND_FAILED', 'REFUND_REVERSED'] as const;

/** Applies one verified PSP event inside the caller's transaction. Returns the order it concerns. */
export async function applyPspEvent(tx: RequestContext, type: string, body: unknown): Promise<string | null> {
  switch (type) {
    case 'payment.upserted': {
      const { payment } = parseOrThrow(paymentUpserted, body).data;
      await recordPayment(tx, payment);
      return payment.orderId ?? null;
    }
    case 'capture.created': {
      const { capture } = parseOrThrow(captureCreated, body).data;
      await recordCapture(tx, capture);
      return capture.orderId ?? null;
    }
    case 'settlement.closed': {
      const { settlement } = parseOrThrow(settlementClosed, body).data;
      await recordSettlement(tx, settlement);
      return null;
    }
    case 'payment.disputed': {
      const { dispute } = parseOrThrow(paymentDisputed, body).data;
      return recordDispute(tx, dispute);
    }
    case 'settlement.reported': {
      const { settlement } = parseOrThrow(settlementReported, body).data;
      await applySettlementReported(tx, settlement.id, settlement.pspAdapterId);
      return null;
    }
    default:
      // A claim about a refund: the refunds module applies a success, and checks any move backwards with the PSP first.
      if ((PSP_REFUND_EVENT_NAMES as readonly string[]).includes(type)) await tx.app.hooks.emit('pspRefundReported', tx, normalizeRefundWebhook(body));
      return null;
  }
}

/** The payment's dispute flag set, as of the dispute's version; a payment not known here yet makes the event wait for it. */
async function recordDispute(tx: RequestContext, d: { id: string; paymentId: string; version: bigint }): Promise<string | null> {
  const [row]: { order_id: string | null }[] = await tx.manager.query('SELECT order_id FROM psp_payment WHERE id = ? FOR UPDATE', [d.paymentId]);
  if (!row) throw new NotApplicableYet(`payment:${d.paymentId}`, `dispute ${d.id} is for payment ${d.paymentId}, not known here yet: applied when it arrives`);
  await tx.manager.query('UPDATE psp_payment SET disputed = TRUE, source_version = GREATEST(source_version, ?) WHERE id = ?', [d.version.toString(), d.paymentId]);
  return row.order_id;
}

/** A payment the event made known: WAITING events for it can now be applied. */
function madeKnown(type: string, body: unknown): string[] {
  const paymentId = (body as { data?: { payment?: { id?: unknown } } })?.data?.payment?.id;
  return type === 'payment.upserted' && typeof paymentId === 'string' ? [`payment:${paymentId}`] : [];
}

export const pspWebhookApplier: WebhookApplier = {
  eventTypes: ['payment.upserted', 'payment.disputed', 'capture.created', 'settlement.closed', 'settlement.reported', ...PSP_REFUND_EVENT_NAMES],
  apply: applyPspEvent,
  madeKnown,
};
