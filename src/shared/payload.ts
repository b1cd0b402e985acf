/** zod pieces shared by everything that reads an upstream's records: the webhook appliers and the connectors' answers. */
import { z } from 'zod';
import { isCurrencyCode, MAX_MINOR } from './money';

/** Minor units as a string of digits (or a safe JSON integer), turned into bigint at once. */
export const minorUnits = z
  .union([z.string().regex(/^-?\d{1,19}$/, 'must be an integer number of minor units'), z.number().int().refine(Number.isSafeInteger, 'must be a safe integer')])
  .transform((v) => BigInt(v))
  .refine((v) => v <= MAX_MINOR && v >= -MAX_MINOR, 'is out of range');

export const currency = z.string().refine(isCurrencyCode, 'must be a supported ISO-4217 code');
export const isoTime = z
  .string()
  .datetime({ offset: true })
  .transform((s) => new Date(s));
export const id = z.string().min(1).max(64);
export const version = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,18}$/)]).transform((v) => BigInt(v));

export function envelope<T extends z.ZodTypeAny>(type: string, data: T) {
  return z.object({ id: z.string().min(1).max(191).optional(), type: z.literal(type), occurredAt: isoTime.optional(), data });
}

/** A body that parsed but does not fit its contract. */
export class WebhookPayloadError extends Error {}

export function parseOrThrow<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) {
    const first = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw new WebhookPayloadError(first.join('; '));
  }
  return r.data;
}
