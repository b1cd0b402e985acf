import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { currencyColumn, idColumn, primaryIdColumn, moneyColumn, timeColumn, versionColumn, stringColumn } from '../../../db/columns';

export enum PaymentStatus {
  AUTHORIZED = 'AUTHORIZED',
  /** Captured. */
  COMPLETED = 'COMPLETED',
  CANCELED = 'CANCELED',
  FAILED = 'FAILED',
}

export enum PaymentMethodKind {
  CARD = 'CARD',
  BANK_ACCOUNT = 'BANK_ACCOUNT',
  WALLET = 'WALLET',
}

export enum PaymentMethodStatus {
  ACTIVE = 'ACTIVE',
  CANCELED = 'CANCELED',
  EXPIRED = 'EXPIRED',
  DELETED = 'DELETED',
}

@Entity('psp_payment')
@Index('idx_psp_payment_order', ['orderId'])
@Index('idx_psp_payment_method', ['paymentMethodId'])
export class PaymentEntity {
  /** The PSP payment reference. */
  @PrimaryColumn(primaryIdColumn()) id: string;
  /** The merchant order reference; null (or an order the OMS never created) is an exception. */
  @Column(idColumn({ nullable: true })) orderId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 16 })) method: PaymentMethodKind;
  @Column(idColumn({ nullable: true })) paymentMethodId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 16 })) paymentMethodStatus: PaymentMethodStatus;
  @Column(idColumn({ nullable: true })) customerId: string | null;
  @Column(stringColumn({ type: 'varchar', length: 16 })) status: PaymentStatus;
  @Column({ type: 'boolean', default: false }) disputed: boolean;
  @Column(moneyColumn()) authorizedMinor: bigint;
  @Column(currencyColumn()) currency: string;
  @Column(timeColumn()) createdAt: Date;
  @Column(versionColumn()) sourceVersion: bigint;
  /** The PSP adapter instance that took the payment (PSP_ADAPTERS); null: the in-house contract. */
  @Column(stringColumn({ type: 'varchar', length: 32, nullable: true })) pspAdapterId: string | null;
}
