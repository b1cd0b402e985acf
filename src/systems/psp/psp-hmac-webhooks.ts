/**
 * The in-house PSP's inbound webhooks as a port: `X-Signature` over the raw bytes, and a body that
 * is already the canonical record (docs/upstream-contracts.md), its id in `X-Event-Id`.
 */
import { createHash } from 'node:crypto';
import type { WebhookSourceName } from '../../db/context';
import type { InboundWebhookPort, VerifiedDelivery } from '../../core/inbound-webhooks';
import { verifyHmacSignature } from '../../shared/hmac-signature';

export class HmacWebhookPort implements InboundWebhookPort {
  constructor(
    readonly source: WebhookSourceName,
    private readonly secret: string,
  ) {}

  verify(raw: Buffer, headers: Readonly<Record<string, string | undefined>>): VerifiedDelivery {
    if (!verifyHmacSignature(this.secret, raw, headers['x-signature'])) return { ok: false, error: 'invalid signature' };
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return { ok: false, error: 'body is not valid JSON' };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'body must be a JSON object' };
    const b = body as Record<string, unknown>;
    const eventId = headers['x-event-id']?.trim() || (typeof b.id === 'string' ? b.id : '') || `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const type = typeof b.type === 'string' ? b.type : typeof b.name === 'string' ? b.name : '';
    return { ok: true, vendorEventId: eventId, vendorType: type, events: [{ eventId, body: b }] };
  }
}
