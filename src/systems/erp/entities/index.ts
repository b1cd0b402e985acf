import { ErpPostingEntity } from './erp-posting.entity';

export * from './erp-posting.entity';
export const ERP_ENTITIES = [ErpPostingEntity];
