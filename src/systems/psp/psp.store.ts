/**
 * The PSP module's write API: its mirror of payments, captures and settlement batches, inside the
 * caller's transaction. Refunds are the refunds module's ledger; the PSP's reports of them reach it
 * through the `pspRefundReported` hook.
 */
import type { RequestContext } from '../../db/context';
import { insertIgnore, versionedUpsert } from '../../db/upsert';
import type { PaymentMethodKind, PaymentMethodStatus, PaymentStatus, SettlementLineKind } from './entities';
import type { PspRefund } from './psp-refund';

declare module '../../core/hooks' {
  interface HookMap<Tx> {
    /** The PSP reported a refund (a signed webhook, a claim), inside the transaction applying it. */
    pspRefundReported: (tx: Tx, refund: PspRefund) => Promise<void>;
  }
}

export async function recordPayment(
  tx: RequestContext,
  p: {
    id: string;
    orderId?: string | null;
    method: PaymentMethodKind;
    paymentMethodId?: string | null;
    paymentMethodStatus: PaymentMethodStatus;
    customerId?: string | null;
    status: PaymentStatus;
    disputed: boolean;
    authorized: bigint;
    currency: string;
    createdAt: Date;
    version: bigint;
    pspAdapterId?: string | null;
  },
): Promise<void> {
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
      psp_adapter_id: p.pspAdapterId ?? null,
      source_version: p.version,
    },
    ['id'],
  );
}

export async function recordCapture(
  tx: RequestContext,
  c: { id: string; paymentId: string; orderId?: string | null; amount: bigint; currency: string; capturedAt: Date },
): Promise<void> {
  await insertIgnore(tx, 'psp_capture', {
    id: c.id,
    payment_id: c.paymentId,
    order_id: c.orderId ?? null,
    amount_minor: c.amount,
    currency: c.currency,
    captured_at: c.capturedAt,
  });
}

/** A closed settlement batch, recorded once with its lines. */
export async function recordSettlement(
  tx: RequestContext,
  s: {
    id: string;
    currency: string;
    settledAt: Date;
    lines: { id: string; kind: SettlementLineKind; pspReference: string; orderId?: string | null; gross: bigint; fee: bigint; net?: bigint; currency: string }[];
  },
): Promise<void> {
  const created = await insertIgnore(tx, 'psp_settlement', { id: s.id, currency: s.currency, settled_at: s.settledAt });
  if (!created) return;
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
