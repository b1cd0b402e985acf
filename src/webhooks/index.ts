/**
 * Webhooks module: owns webhook_event. Verifies each delivery's signature over the raw bytes,
 * stores it, dedupes it and applies it through the appliers the system modules give
 * (AppServices.webhookAppliers); an event not applicable yet waits, a failed one is retried.
 */
export { webhooksModule } from './webhooks.module';
/** @public */
export { sign, receiveWebhook, wakeWaiting, WebhookOutcome } from './webhook.service';
/** Stores (and applies, or defers) an event a vendor adapter verified. */
export { receiveVerifiedWebhook } from './webhook.service';
/** @public */
export { runWebhookRetryRound, WebhookRetryRound } from './webhook.worker';
/** @public */
export { WebhookEventEntity, WebhookEventStatus, WebhookSource } from './webhook-event.entity';
