/**
 * In-transaction hooks: a module that owns an event lets use-case modules react inside the same
 * transaction (typically by writing an outbox row), without depending on them.
 */
import type { RequestContext } from '../db/context';

export interface InvoiceRecorded {
  id: string;
  orderId: string;
  kind: 'INPUT' | 'OUTPUT';
  amountMinor: bigint;
  currency: string;
}

export interface HookMap {
  /** A new invoice was recorded from the OMS (not a replay). */
  invoiceRecorded: (tx: RequestContext, invoice: InvoiceRecorded) => Promise<void>;
  /** A PSP refund event arrived (seed-004 shape, already normalised by the PSP connector). */
  pspRefundEvent: (tx: RequestContext, event: unknown) => Promise<void>;
}

export class Hooks {
  private readonly map = new Map<keyof HookMap, HookMap[keyof HookMap][]>();

  on<K extends keyof HookMap>(name: K, fn: HookMap[K]): void {
    this.map.set(name, [...(this.map.get(name) ?? []), fn]);
  }

  async emit<K extends keyof HookMap>(name: K, ...args: Parameters<HookMap[K]>): Promise<void> {
    for (const fn of this.map.get(name) ?? []) await (fn as (...a: unknown[]) => Promise<void>)(...args);
  }

  has(name: keyof HookMap): boolean {
    return (this.map.get(name)?.length ?? 0) > 0;
  }
}
