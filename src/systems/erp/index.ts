/**
 * ERP module: owns the mirror of the ERP's journal postings and the ERP connector.
 * Other modules import only what is exported here.
 */
export * from './entities';
export { ErpPosting, toErpPosting, OrderErpResolver } from './graphql/erp.resolver';
export { ErpConnector, ErpPostingRecord, JournalEntry } from './erp.connector';
