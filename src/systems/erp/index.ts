/**
 * ERP module: owns the mirror of the ERP's journal postings and the ERP connector.
 * Other modules import only what is exported here.
 */
export { erpModule } from './erp.module';
export * from './entities';
/** @public */
export { ErpConnector, ErpPostingRecord, JournalEntry } from './erp.connector';
/** The write API: a posting the ERP reported or answered, upserted by document id. */
export { recordErpPosting } from './erp.store';
