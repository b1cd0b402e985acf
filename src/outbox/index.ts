/**
 * Outbox module: owns outbox_message and its worker. Use cases enqueue effects in their
 * transaction; the handler of each topic (given by the module that owns the effect) delivers them,
 * retried until they succeed.
 */
export { outboxModule } from './outbox.module';
export { enqueue, enqueueMany, registerOutboxHandler, OutboxHandler, OutboxItem, OutboxMessage } from './outbox';
export { runOutboxRound, drainOutbox, OutboxWorker, RoundResult } from './outbox.worker';
export { OutboxMessageEntity, OutboxStatus } from './outbox-message.entity';
