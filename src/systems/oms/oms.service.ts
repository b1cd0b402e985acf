import { RequestContext } from '../../db/context';
import { InvoiceDataCopy, InvoiceDataEntity, InvoiceEntity, InvoiceKind, OrderEntity } from './entities';
import { InvoiceData, InvoiceDataEntry } from './graphql/oms.types';
import { toMoney } from '../../graphql/money.type';

/** Builds the invoiceData view of one order from its invoices and both bookkeeping copies. */
export function buildInvoiceData(order: Pick<OrderEntity, 'currency'>, invoices: InvoiceEntity[], rows: InvoiceDataEntity[]): InvoiceData {
  const entries = invoices.map((inv) => {
    const ours = rows.find((r) => r.invoiceId === inv.id && r.copy === InvoiceDataCopy.MONEYGRAPH);
    const oms = rows.find((r) => r.invoiceId === inv.id && r.copy === InvoiceDataCopy.OMS);
    const refunded = ours?.refundedMinor ?? 0n;
    const e = new InvoiceDataEntry();
    e.invoiceId = inv.id;
    e.kind = inv.kind;
    e.amount = toMoney(inv.amountMinor, inv.currency);
    e.refunded = toMoney(refunded, inv.currency);
    e.refundIds = ours?.refundIds ?? [];
    e.omsRefunded = oms ? toMoney(oms.refundedMinor, inv.currency) : null;
    e.omsRefundIds = oms?.refundIds ?? null;
    // An OUTPUT invoice is never refunded, so an OMS that reports nothing for it agrees.
    e.inSync = oms ? oms.refundedMinor === refunded : inv.kind === InvoiceKind.OUTPUT || refunded === 0n;
    e.omsUpdatedAt = oms?.updatedAt ?? null;
    return e;
  });
  return Object.assign(new InvoiceData(), { entries, inSync: entries.every((e) => e.inSync) });
}

export async function findOrder(ctx: RequestContext, id: string): Promise<OrderEntity | null> {
  return ctx.manager.getRepository(OrderEntity).findOne({ where: { id } });
}
