/**
 * OMS module: owns orders, invoices, the order timeline and both copies of invoiceData.
 * Other modules import only what is exported here.
 */
export { omsModule } from './oms.module';
/** @public */
export { Order, Invoice, OrderInteraction, InvoiceData, toOrder, toInvoice } from './graphql/oms.types';
export * from './entities';
/** @public */
export { buildInvoiceData, findOrder } from './oms.service';
/** @public */
export { OmsConnector } from './oms.connector';
/** The OMS port every adapter implements, and the VTEX adapter (OMS=vtex). */
export type { OmsPort, OmsCapabilities, OmsOrderRecords, OmsInvoiceDataEntry, OmsOwnRefund } from './oms-port';
/** @public */
export { VtexOmsAdapter, VtexFeedItem } from './vtex/vtex-adapter';
/** @public */
export { pullVtexFeed, FeedRound } from './vtex/vtex-inbound';
/** Ingestion: the OMS's records (a webhook, or read back by syncOrder), checked against the contract and stored. */
export { applyOmsEvent } from './oms.ingest';
/** The OMS's records of an order applied as its events would be (syncOrder, thin notifications read back). */
export { applyOmsRecords } from './oms-readback';
/** The write API other modules use: moneygraph's copy of invoiceData, interactions, the OMS's reported copy. */
export { writeInvoiceData, addInteraction, recordOmsInvoiceData, InvoiceRecorded } from './oms.store';
