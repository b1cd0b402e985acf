/**
 * The inbound-webhook port: how one upstream instance proves that a delivery is its own and says,
 * in the canonical records of docs/upstream-contracts.md, what it claims. The webhook module
 * stores and applies what `verify` returns exactly as it does the in-house systems' own events.
 */
import type { WebhookSourceName } from '../db/context';

/** One canonical event: its id (the dedupe key) and its body in the canonical contract. */
export interface CanonicalEvent {
  eventId: string;
  body: Record<string, unknown>;
}

export type VerifiedDelivery =
  /** `events` may be empty: a verified event that claims nothing moneygraph records (it is answered 200 and dropped). */
  { ok: true; vendorEventId: string; vendorType: string; events: CanonicalEvent[] } | { ok: false; error: string };

export interface InboundWebhookPort {
  /** The system whose appliers take the canonical events. */
  readonly source: WebhookSourceName;
  /** Verifies the signature over the raw bytes (nothing is parsed before) and translates the event. */
  verify(raw: Buffer, headers: Readonly<Record<string, string | undefined>>, now: Date): VerifiedDelivery;
}
