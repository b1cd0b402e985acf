/**
 * JSON text as the refunds module stores it: bigints as decimal strings, nothing for no value.
 * The PSP's receipts and the request hash of idempotency keys are written with it.
 */
import { createHash } from 'node:crypto';
import { stringifyWithBigints } from '../shared/json';

export const jsonText = (v: unknown): string | null => (v === undefined || v === null ? null : stringifyWithBigints(v));

/** sha256 of a request's JSON text: what a replayed idempotency key is compared by. */
export const requestHash = (v: unknown): string =>
  createHash('sha256')
    .update(jsonText(v) ?? '')
    .digest('hex');
