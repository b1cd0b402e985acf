/**
 * The PSP adapter instances of the process (PSP_ADAPTERS), side by side. Each payment remembers
 * the instance that took it (psp_payment.psp_adapter_id), so its refunds and the checks of its
 * refund webhooks go back there; a payment that names none (the in-house contract's own events,
 * and every payment recorded before adapters) belongs to the first in-house instance, else the default.
 */
import type { RequestContext } from '../../db/context';
import { UpstreamError } from '../../shared/http-client';
import type { PspOrderRecords, PspPort } from './psp-port';

export class PspAdapters {
  private readonly byId: ReadonlyMap<string, PspPort>;

  constructor(readonly all: readonly PspPort[]) {
    if (all.length === 0) throw new Error('at least one PSP adapter must be configured');
    this.byId = new Map(all.map((a) => [a.id, a]));
  }

  /** The first configured instance. */
  get default(): PspPort {
    return this.all[0]!;
  }

  get(id: string): PspPort | undefined {
    return this.byId.get(id);
  }

  /** The instance of a payment that names none. */
  get unnamed(): PspPort {
    return this.all.find((a) => a.kind === 'inhouse') ?? this.default;
  }

  /**
   * The instance that took this payment. A payment taken by an instance no longer configured is
   * never sent elsewhere: that is an UpstreamError (outcome unknown; the refund waits in flight).
   */
  async forPayment(ctx: RequestContext, paymentId: string | null | undefined): Promise<PspPort> {
    if (!paymentId) return this.unnamed;
    const [row]: { psp_adapter_id: string | null }[] = await ctx.manager.query('SELECT psp_adapter_id FROM psp_payment WHERE id = ?', [paymentId]);
    return this.named(row?.psp_adapter_id ?? null, paymentId);
  }

  /** The instance a payment's stored adapter id names (null: none named); an id no longer configured is an UpstreamError, as in forPayment. */
  named(id: string | null, paymentId: string | null): PspPort {
    if (!id) return this.unnamed;
    const adapter = this.byId.get(id);
    if (!adapter) throw new UpstreamError('psp', 'network', `payment ${paymentId ?? '(none)'} was taken by PSP adapter "${id}", which is not configured`);
    return adapter;
  }

  /** What every instance holds for an order, together (syncOrder, and the check before an automatic refund). Throws UpstreamError when one cannot be asked. */
  async orderRecords(ctx: RequestContext, orderId: string): Promise<PspOrderRecords> {
    const all = await Promise.all(this.all.map((a) => a.getOrderRecords(ctx, orderId)));
    return {
      payments: all.flatMap((r) => r.payments),
      captures: all.flatMap((r) => r.captures),
      refunds: all.flatMap((r) => r.refunds),
      undecided: all.flatMap((r) => r.undecided ?? []),
    };
  }
}
