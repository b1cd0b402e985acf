/**
 * Sync module: owns syncOrder, the on-demand read-back of one order from OMS, PSP and ERP through
 * the connectors, applied through each system's ingestion (the repair path for lost webhooks).
 */
export { syncModule } from './sync.module';
/** @public */
export { syncOrder, SyncOrderInput, SyncOrderResult, SyncCounts } from './sync-order.service';
