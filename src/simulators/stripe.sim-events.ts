/**
 * The Stripe simulator's event stream: events in Stripe's shape (`evt_…`, `data.object`), signed
 * with the SDK's own `generateTestHeaderString` and posted to the service, with the faults a real
 * endpoint meets — duplicated, reordered, late and lost deliveries, a bad signature, an expired timestamp.
 */
import Stripe from 'stripe';
import { newId } from './http-kit';

export interface StripeEventFaults {
  /** Every event is delivered twice. */
  duplicate: boolean;
  /** Events are held and delivered newest first at the next flush. */
  reverse: boolean;
  /** Events are held and delivered, in order, at the next flush (late deliveries). */
  hold: boolean;
  /** The next N deliveries are lost on the way: the service never sees them, and they are not retried. */
  dropNext: number;
  /** The next N deliveries are signed with a wrong secret. */
  badSignatureNext: number;
  /** The next N deliveries carry a signature an hour old (outside any tolerance). */
  expiredNext: number;
}

export interface StripeDelivery {
  eventId: string;
  type: string;
  status: number | null;
  body: unknown;
  /** Lost on the way (dropNext): never sent. */
  dropped?: boolean;
}

const signer = new Stripe('sk_test_simulator_signing_only', { telemetry: false });

export class StripeEventStream {
  readonly events: Stripe.Event[] = [];
  readonly deliveries: StripeDelivery[] = [];
  readonly faults: StripeEventFaults = { duplicate: false, reverse: false, hold: false, dropNext: 0, badSignatureNext: 0, expiredNext: 0 };
  private held: Stripe.Event[] = [];

  constructor(
    private target: string | undefined,
    /** Signing secrets of the endpoint: one v1 signature per secret (two while a secret is rolled). */
    private secrets: string[],
    private readonly clock: () => Date,
  ) {}

  setTarget(url: string): void {
    this.target = url;
  }

  setSecrets(secrets: string[]): void {
    this.secrets = secrets;
  }

  /** Records the event and delivers it (unless held for reordering or no target is set). */
  async emit(type: string, object: unknown): Promise<Stripe.Event> {
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: '2025-01-01',
      created: Math.floor(this.clock().getTime() / 1000),
      type,
      livemode: false,
      data: { object },
    } as unknown as Stripe.Event;
    this.events.push(event);
    if (this.faults.reverse || this.faults.hold || !this.target) this.held.push(event);
    else await this.deliver(event);
    return event;
  }

  /** How many events are held for the next flush. */
  pending(): number {
    return this.held.length;
  }

  /** Delivers the held events (newest first when reordering). */
  async flush(): Promise<number> {
    const batch = this.faults.reverse ? [...this.held].reverse() : [...this.held];
    this.held = [];
    for (const e of batch) await this.deliver(e);
    return batch.length;
  }

  /** Delivers one recorded event again, as Stripe does when it retries. */
  async redeliver(eventId: string): Promise<StripeDelivery> {
    const e = this.events.find((x) => x.id === eventId);
    if (!e) throw new Error(`no event ${eventId}`);
    return this.send(e);
  }

  private async deliver(e: Stripe.Event): Promise<void> {
    if (this.faults.dropNext > 0) {
      this.faults.dropNext--;
      this.deliveries.push({ eventId: e.id, type: e.type, status: null, body: null, dropped: true });
      return;
    }
    await this.send(e);
    if (this.faults.duplicate) await this.send(e);
  }

  /** The Stripe-Signature header for a payload as this endpoint's secrets sign it now (or at `timestamp`). */
  header(payload: string, timestamp = Math.floor(this.clock().getTime() / 1000), secrets = this.secrets): string {
    const parts = secrets.map((secret) => signer.webhooks.generateTestHeaderString({ payload, secret, timestamp }));
    // t=…,v1=a and t=…,v1=b become t=…,v1=a,v1=b: one timestamp, a signature per secret.
    return [parts[0]!, ...parts.slice(1).map((p) => p.replace(/^t=\d+,/, ''))].join(',');
  }

  private async send(e: Stripe.Event): Promise<StripeDelivery> {
    const payload = JSON.stringify(e);
    let header = this.header(payload);
    if (this.faults.badSignatureNext > 0) {
      this.faults.badSignatureNext--;
      header = this.header(payload, undefined, ['whsec_not_the_endpoint_secret']);
    } else if (this.faults.expiredNext > 0) {
      this.faults.expiredNext--;
      header = this.header(payload, Math.floor(this.clock().getTime() / 1000) - 3600);
    }
    const d: StripeDelivery = { eventId: e.id, type: e.type, status: null, body: null };
    try {
      const res = await fetch(this.target!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: payload,
        signal: AbortSignal.timeout(5000),
      });
      d.status = res.status;
      d.body = await res.json().catch(() => null);
    } catch {
      d.status = null;
    }
    this.deliveries.push(d);
    return d;
  }
}
