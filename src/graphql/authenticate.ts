import { Config } from '../config';
import { Actor, ANONYMOUS_ACTOR, Role } from '../shared/actor';
import { unauthenticated } from './errors';

/**
 * Resolves the caller from the Authorization header. No header → the anonymous actor (refused by
 * every operation's permission check); a header that does not verify → UNAUTHENTICATED at once.
 */
export function authenticate(config: Config, authorization: string | undefined): Actor {
  if (!authorization) return ANONYMOUS_ACTOR;
  const m = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!m) throw unauthenticated('Authorization must be "Bearer <token>"', 401);
  const key = config.apiKeys.get(m[1]);
  if (key) return { subject: key.subject, role: key.role as Role, kind: 'service' };
  throw unauthenticated('Invalid credentials', 401);
}
