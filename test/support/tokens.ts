/** Bearer JWTs for tests: signed like a real identity provider would, or broken on purpose. */
import jwt from 'jsonwebtoken';
import { DEV_JWT_SECRET } from '../../src/config';

export interface TokenOptions {
  role?: string | null;
  sub?: string;
  /** HS256 secret or RS256 private key (PEM). */
  key?: string;
  alg?: jwt.Algorithm | 'none';
  issuer?: string;
  audience?: string;
  /** Seconds since the epoch the token claims to be issued at (default: now). */
  iat?: number;
  /** Lifetime in seconds; null for a token without exp. */
  ttl?: number | null;
  kid?: string;
  extra?: Record<string, unknown>;
}

export function token(o: TokenOptions = {}): string {
  const iat = o.iat ?? Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iat, ...(o.role === undefined ? { role: 'SUPPORT' } : o.role === null ? {} : { role: o.role }), ...o.extra };
  if (o.sub !== '') payload.sub = o.sub ?? 'alice';
  if (o.ttl !== null) payload.exp = iat + (o.ttl ?? 3600);
  if (o.issuer !== '') payload.iss = o.issuer ?? 'moneygraph';
  if (o.audience !== '') payload.aud = o.audience ?? 'moneygraph';
  if (o.alg === 'none') {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
  }
  return jwt.sign(payload, o.key ?? DEV_JWT_SECRET, { algorithm: o.alg ?? 'HS256', ...(o.kid ? { keyid: o.kid } : {}) });
}

export const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
