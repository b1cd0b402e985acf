/**
 * Sync module: owns syncOrder, the on-demand read-back of one order from OMS, PSP and ERP
 * through the connectors, applied through the webhook appliers (the repair path for lost webhooks).
 */
export { syncOrder, SyncOrderInput, SyncOrderResult, SyncCounts } from './sync-order.service';
export { SyncOrderResolver, SyncOrderPayload } from './sync-order.resolver';
