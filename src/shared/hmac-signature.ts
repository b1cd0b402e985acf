/** The in-house systems' webhook signature: `sha256=<hex HMAC-SHA256(raw body, secret)>`, compared in constant time. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSignature(secret: string, raw: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

export function verifyHmacSignature(secret: string, raw: Buffer, header: string | undefined): boolean {
  if (!header || !secret) return false;
  const expected = Buffer.from(hmacSignature(secret, raw));
  const given = Buffer.from(header.trim());
  return expected.length === given.length && timingSafeEqual(expected, given);
}
