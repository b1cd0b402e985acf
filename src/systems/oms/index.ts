/**
 * OMS module: owns orders, invoices, the order timeline and both copies of invoiceData.
 * Other modules import only what is exported here.
 */
export { Order, Invoice, OrderInteraction, InvoiceData, InvoiceDataEntry, toOrder, toInvoice } from './graphql/oms.types';
export * from './entities';
export { buildInvoiceData, findOrder } from './oms.service';
export { OrderResolver, InvoiceResolver, omsReferenceResolvers } from './graphql/order.resolver';
export { OmsConnector, OmsOrderRecords, OmsInvoiceDataEntry } from './oms.connector';
