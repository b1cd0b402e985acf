import { Actor } from './actor';
import { hasPermission, Permission } from './permissions';

/** Customer identifiers are shown only to roles that may read them; others see the last four characters. */
export function maskCustomerId(actor: Actor, raw: string | null): string | null {
  if (raw === null || hasPermission(actor.role, Permission.READ_CUSTOMER_PII)) return raw;
  return raw.length <= 4 ? '****' : `****${raw.slice(-4)}`;
}
