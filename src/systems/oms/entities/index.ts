import { InteractionEntity } from './interaction.entity';
import { InvoiceDataEntity } from './invoice-data.entity';
import { InvoiceEntity } from './invoice.entity';
import { OrderEntity } from './order.entity';

export * from './order.entity';
export * from './invoice.entity';
export * from './interaction.entity';
export * from './invoice-data.entity';
export const OMS_ENTITIES = [OrderEntity, InvoiceEntity, InteractionEntity, InvoiceDataEntity];
