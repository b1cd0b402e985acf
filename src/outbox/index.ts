/**
 * Outbox module: owns outbox_message and its worker. Use cases enqueue effects in their
 * transaction; the handler of each topic (given by the module that owns the effect) delivers them,
 * retried until they succeed.
 */
export { outboxModule } from './outbox.module';
/** @public */
export { enqueue, enqueueMany, registerOutboxHandler, OutboxHandler, OutboxItem, OutboxMessage } from './outbox';
/** @public */
export { runOutboxRound, drainOutbox, OutboxWorker, RoundResult } from './outbox.worker';
/** @public */
export { OutboxMessageEntity, OutboxStatus } from './outbox-message.entity';
