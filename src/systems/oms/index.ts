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
export { OmsConnector, OmsOrderRecords, OmsInvoiceDataEntry } from './oms.connector';
/** Ingestion: the OMS's records (a webhook, or read back by syncOrder), checked against the contract and stored. */
export { applyOmsEvent } from './oms.ingest';
/** The write API other modules use: moneygraph's copy of invoiceData, interactions, the OMS's reported copy. */
export { writeInvoiceData, addInteraction, recordOmsInvoiceData, InvoiceRecorded } from './oms.store';
