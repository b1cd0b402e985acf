import { z } from 'zod';
import { RequestContext } from '../../db/context';
import { insertIgnore, versionedUpsert } from '../../db/upsert';
import { currency, envelope, id, isoTime, minorUnits, parseOrThrow, version } from '../../webhooks/payload';
import { PaymentMethodKind, PaymentMethodStatus, PaymentStatus, SettlementLineKind } from './entities';

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

export const PSP_REFUND_EVENT_NAMES = ['REFUND_SUCCEEDED', 'REFUND_FAILED', 'REFUND_REVERSED'] as const;

/** Applies one verified PSP event inside the caller's transaction. Returns the order it concerns. */
export async function applyPspEvent(tx: RequestContext, type: string, body: unknown): Promise<string | null> {
  switch (type) {
    case 'payment.upserted': {
      const { payment: p } = parseOrThrow(paymentUpserted, body).data;
      await versionedUpsert(
        tx,
        'psp_payment',
        {
          id: p.id,
          order_id: p.orderId ?? null,
          method: p.method,
          payment_method_id: p.paymentMethodId ?? null,
          payment_method_status: p.paymentMethodStatus,
          customer_id: p.customerId ?? null,
          status: p.status,
          disputed: p.disputed,
          authorized_minor: p.authorized,
          currency: p.currency,
          created_at: p.createdAt,
          source_version: p.version,
        },
        ['id'],
      );
      return p.orderId ?? null;
    }
    case 'capture.created': {
      const { capture: c } = parseOrThrow(captureCreated, body).data;
      await insertIgnore(tx, 'psp_capture', {
        id: c.id,
        payment_id: c.paymentId,
        order_id: c.orderId ?? null,
        amount_minor: c.amount,
        currency: c.currency,
        captured_at: c.capturedAt,
      });
      return c.orderId ?? null;
    }
    case 'settlement.closed': {
      const { settlement: s } = parseOrThrow(settlementClosed, body).data;
      const created = await insertIgnore(tx, 'psp_settlement', { id: s.id, currency: s.currency, settled_at: s.settledAt });
      if (created) {
        for (const l of s.lines) {
          await insertIgnore(tx, 'psp_settlement_line', {
            id: l.id,
            settlement_id: s.id,
            kind: l.kind,
            psp_reference: l.pspReference,
            order_id: l.orderId ?? null,
            gross_minor: l.gross,
            fee_minor: l.fee,
            net_minor: l.net ?? l.gross - l.fee,
            currency: l.currency,
          });
        }
      }
      return null;
    }
    default:
      if ((PSP_REFUND_EVENT_NAMES as readonly string[]).includes(type)) {
        await tx.app.hooks.emit('pspRefundEvent', tx, body);
        return null;
      }
      return null;
  }
}
