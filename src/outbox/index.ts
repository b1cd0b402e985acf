/**
 * Outbox module: owns outbox_message and its worker. Use cases enqueue effects in their
 * transaction; handlers registered per topic deliver them, retried until they succeed.
 */
export { enqueue, enqueueMany, registerOutboxHandler, OutboxHandler, OutboxItem, OutboxMessage } from './outbox';
export { runOutboxRound, drainOutbox, OutboxWorker, RoundResult } from './outbox.worker';
export { OutboxMessageEntity, OutboxStatus } from './outbox-message.entity';
export { registerOutbox } from './outbox.module';
