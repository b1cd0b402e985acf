/** Every entity of every module, for the DataSource. Modules own their tables; this only lists them. */
import { OMS_ENTITIES } from '../systems/oms/entities';
import { PSP_ENTITIES } from '../systems/psp/entities';
import { ERP_ENTITIES } from '../systems/erp/entities';
import { REFUND_ENTITIES } from '../refunds/entities';
import { WebhookEventEntity } from '../webhooks/webhook-event.entity';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { OrderHoldEntity } from '../reconciliation/order-hold.entity';
import { RECONCILIATION_ENTITIES } from '../reconciliation/entities';
import { OutboxMessageEntity } from '../outbox/outbox-message.entity';

export const ENTITIES: Function[] = [...OMS_ENTITIES, ...PSP_ENTITIES, ...ERP_ENTITIES, ...REFUND_ENTITIES, WebhookEventEntity, AuditEntryEntity, OrderHoldEntity, OutboxMessageEntity, ...RECONCILIATION_ENTITIES];
