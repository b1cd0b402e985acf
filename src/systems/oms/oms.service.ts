import { RequestContext } from '../../db/context';
import { InvoiceDataCopy, InvoiceDataEntity, InvoiceEntity, InvoiceKind, OrderEntity } from './entities';

/** What both bookkeeping copies say about one invoice; amounts in minor units of the invoice's currency. */
export interface InvoiceDataLine {
  invoiceId: string;
  kind: InvoiceKind;
  currency: string;
  amountMinor: bigint;
  /** moneygraph's copy. */
  refundedMinor: bigint;
  refundIds: string[];
  /** The OMS's copy (null: the OMS has not reported one). */
  omsRefundedMinor: bigint | null;
  omsRefundIds: string[] | null;
  /** Both copies agree; null when the OMS keeps no copy (there is nothing to agree with). */
  inSync: boolean | null;
  omsUpdatedAt: Date | null;
}

export interface InvoiceDataView {
  entries: InvoiceDataLine[];
  inSync: boolean | null;
  /** Whether the OMS keeps an invoiceData copy at all (VTEX does not). */
  omsKeepsCopy: boolean;
}

/** Builds the invoiceData view of one order from its invoices and both bookkeeping copies (only ours when the OMS keeps none). */
export function buildInvoiceData(invoices: InvoiceEntity[], rows: InvoiceDataEntity[], omsKeepsCopy = true): InvoiceDataView {
  const entries = invoices.map((inv): InvoiceDataLine => {
    const ours = rows.find((r) => r.invoiceId === inv.id && r.copy === InvoiceDataCopy.MONEYGRAPH);
    const oms = rows.find((r) => r.invoiceId === inv.id && r.copy === InvoiceDataCopy.OMS);
    const refunded = ours?.refundedMinor ?? 0n;
    return {
      invoiceId: inv.id,
      kind: inv.kind,
      currency: inv.currency,
      amountMinor: inv.amountMinor,
      refundedMinor: refunded,
      refundIds: ours?.refundIds ?? [],
      omsRefundedMinor: oms ? oms.refundedMinor : null,
      omsRefundIds: oms?.refundIds ?? null,
      // An OUTPUT invoice is never refunded, so an OMS that reports nothing for it agrees; an OMS without a copy agrees with nothing.
      inSync: !omsKeepsCopy ? null : oms ? oms.refundedMinor === refunded : inv.kind === InvoiceKind.OUTPUT || refunded === 0n,
      omsUpdatedAt: oms?.updatedAt ?? null,
    };
  });
  return { entries, inSync: omsKeepsCopy ? entries.every((e) => e.inSync) : null, omsKeepsCopy };
}

export async function findOrder(ctx: RequestContext, id: string): Promise<OrderEntity | null> {
  return ctx.manager.getRepository(OrderEntity).findOne({ where: { id } });
}
