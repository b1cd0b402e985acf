import { createPublicKey, KeyObject } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors as jose, jwtVerify, JWTPayload } from 'jose';
import jwt from 'jsonwebtoken';
import { Config, ConfigError } from '../config';
import { Actor, Role } from '../shared/actor';
import { Clock, systemClock } from '../shared/clock';
import { API_ROLES, ApiRole } from './limits.config';
import { truncate } from '../shared/text';

/**
 * Who is calling: a bearer JWT (HS256 with the shared secret, RS256 with a configured public key,
 * or RS256/PS256/ES256 with a key of the identity provider's JWKS; issuer, audience and expiry
 * checked) for people, or a static API key for services. Anything else — no header, a wrong
 * scheme, a token that does not verify — is UNAUTHENTICATED with HTTP 401 before any GraphQL work
 * is done. When the JWKS cannot be fetched the answer is 503 UPSTREAM_UNAVAILABLE: the caller's
 * token may well be good, so it is not told to sign in again.
 */
export type Authenticator = (authorization: string | undefined) => Promise<Actor>;

/** The algorithms a JWKS key may sign with (never HS*: a public key set is not a shared secret). */
const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256'];

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_CREDENTIAL_LENGTH = 8192;

function unauthenticated401(message: string, error = 'invalid_token'): GraphQLError {
  const challenge = error ? `Bearer realm="moneygraph", error="${error}"` : 'Bearer realm="moneygraph"';
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new HeaderMap([['www-authenticate', challenge]]) } },
  });
}

/** JWT_PUBLIC_KEYS: PEM blocks (tried in turn) or JSON {"<kid>": "<PEM>"} (chosen by the token's kid). */
function parsePublicKeys(spec: string | undefined): { byKid: Map<string, KeyObject>; unnamed: KeyObject[] } {
  const out = { byKid: new Map<string, KeyObject>(), unnamed: [] as KeyObject[] };
  if (!spec?.trim()) return out;
  const toKey = (pem: string, label: string): KeyObject => {
    try {
      const key = createPublicKey(pem.replace(/\\n/g, '\n'));
      if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
      return key;
    } catch (err) {
      throw new ConfigError(`JWT_PUBLIC_KEYS: ${label} is not an RSA public key in PEM form (${(err as Error).message})`);
    }
  };
  if (spec.trim().startsWith('{')) {
    let map: unknown;
    try {
      map = JSON.parse(spec);
    } catch {
      throw new ConfigError('JWT_PUBLIC_KEYS: not valid JSON');
    }
    for (const [kid, pem] of Object.entries(map as Record<string, unknown>)) {
      if (typeof pem !== 'string') throw new ConfigError(`JWT_PUBLIC_KEYS: key "${kid}" must be a PEM string`);
      out.byKid.set(kid, toKey(pem, `key "${kid}"`));
    }
  } else {
    const blocks = spec.replace(/\\n/g, '\n').match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? [];
    if (blocks.length === 0) throw new ConfigError('JWT_PUBLIC_KEYS: no PEM block found');
    blocks.forEach((b, i) => out.unnamed.push(toKey(b, `PEM block ${i + 1}`)));
  }
  return out;
}

export function createAuthenticator(config: Config, clock: Clock = systemClock): Authenticator {
  const j = config.jwt;
  const keys = parsePublicKeys(j.publicKeys);
  const hasRsa = keys.byKid.size + keys.unnamed.length > 0;
  const jwks = j.jwks
    ? createRemoteJWKSet(new URL(j.jwks.url), { timeoutDuration: j.jwks.timeoutMs, cooldownDuration: j.jwks.cooldownMs, cacheMaxAge: j.jwks.cacheMaxAgeMs })
    : undefined;

  /** A token for the identity provider's key set: jose picks the key by kid and refetches the set for a new one. */
  async function verifyWithJwks(token: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks!, {
        algorithms: JWKS_ALGORITHMS,
        issuer: j.issuer,
        audience: j.audience,
        clockTolerance: j.clockToleranceSeconds,
        currentDate: clock.now(),
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      throw describeJoseFailure(err);
    }
    return actorOf(payload as jwt.JwtPayload);
  }

  function verifyJwt(token: string): Actor | Promise<Actor> {
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') throw unauthenticated401('Invalid token: not a JWT');
    const alg = decoded.header.alg;
    const kid = decoded.header.kid;
    let candidates: (string | KeyObject)[];
    if (alg === 'HS256' && j.secret) candidates = [j.secret];
    // A key configured here by its kid wins; otherwise the identity provider's set decides.
    else if (jwks && JWKS_ALGORITHMS.includes(alg) && !(kid && keys.byKid.has(kid))) return verifyWithJwks(token);
    else if (alg === 'RS256' && hasRsa) {
      candidates = kid && keys.byKid.has(kid) ? [keys.byKid.get(kid)!] : keys.unnamed;
      if (candidates.length === 0) throw unauthenticated401('Invalid token: unknown signing key');
    } else throw unauthenticated401(`Invalid token: algorithm ${truncate(String(alg), 16)} is not accepted`);

    const nowSeconds = Math.floor(clock.now().getTime() / 1000);
    let payload: jwt.JwtPayload | undefined;
    let failure: unknown;
    for (const key of candidates) {
      try {
        payload = jwt.verify(token, key, {
          algorithms: [alg as jwt.Algorithm],
          issuer: j.issuer,
          audience: j.audience,
          clockTimestamp: nowSeconds,
          clockTolerance: j.clockToleranceSeconds,
        }) as jwt.JwtPayload;
        break;
      } catch (err) {
        failure = err;
        // Only a bad signature makes another key worth trying; any other failure is final.
        if (!(err instanceof jwt.JsonWebTokenError) || err.message !== 'invalid signature') break;
      }
    }
    if (!payload) throw unauthenticated401(describeJwtFailure(failure));
    return actorOf(payload);
  }

  /** The claims every verified token must carry, whichever key signed it. */
  function actorOf(payload: jwt.JwtPayload): Actor {
    const nowSeconds = Math.floor(clock.now().getTime() / 1000);
    if (typeof payload.exp !== 'number') throw unauthenticated401('Invalid token: exp is required');
    if (payload.exp - (typeof payload.iat === 'number' ? Math.min(payload.iat, nowSeconds) : nowSeconds) > j.maxTtlSeconds) {
      throw unauthenticated401(`Invalid token: lifetime exceeds ${j.maxTtlSeconds} seconds`);
    }
    const subject = payload.sub;
    if (typeof subject !== 'string' || !subject || subject.length > 128) throw unauthenticated401('Invalid token: sub is required');
    const role = payload[j.roleClaim];
    if (typeof role !== 'string' || !(API_ROLES as readonly string[]).includes(role)) {
      throw unauthenticated401(`Invalid token: claim "${j.roleClaim}" must be one of ${API_ROLES.join(', ')}`);
    }
    return { subject, role: role as ApiRole as Role, kind: 'user' };
  }

  return async (authorization) => {
    if (!authorization) throw unauthenticated401('Authentication required: send "Authorization: Bearer <token or API key>"', '');
    if (authorization.length > MAX_CREDENTIAL_LENGTH) throw unauthenticated401('Invalid credentials: too long');
    const m = /^Bearer[ ]+(\S+)$/i.exec(authorization.trim());
    const credential = m?.[1];
    if (!credential) throw unauthenticated401('Authorization must be "Bearer <token or API key>"', 'invalid_request');
    const key = config.apiKeys.get(credential);
    if (key) return { subject: key.subject, role: key.role as Role, kind: 'service' };
    if (JWT_SHAPE.test(credential)) return verifyJwt(credential);
    throw unauthenticated401('Invalid credentials');
  };
}

function describeJwtFailure(err: unknown): string {
  if (err instanceof jwt.TokenExpiredError) return 'Invalid token: expired';
  if (err instanceof jwt.NotBeforeError) return 'Invalid token: not yet valid';
  const m = err instanceof Error ? err.message : '';
  if (m.startsWith('jwt audience invalid')) return 'Invalid token: wrong audience';
  if (m.startsWith('jwt issuer invalid')) return 'Invalid token: wrong issuer';
  if (m === 'invalid signature') return 'Invalid token: bad signature';
  return 'Invalid token: malformed';
}

function describeJoseFailure(err: unknown): GraphQLError {
  // The key set could not be had: a timeout, a network error, an answer that is not 200 or not a key set.
  const keysUnavailable = err instanceof jose.JWKSTimeout || !(err instanceof jose.JOSEError) || err.code === 'ERR_JOSE_GENERIC' || err.code === 'ERR_JWKS_INVALID';
  if (keysUnavailable) {
    return new GraphQLError('Signing keys are unavailable: the identity provider could not be reached; retry shortly', {
      extensions: { code: 'UPSTREAM_UNAVAILABLE', http: { status: 503, headers: new HeaderMap([['retry-after', '5']]) } },
    });
  }
  if (err instanceof jose.JWTExpired) return unauthenticated401('Invalid token: expired');
  if (err instanceof jose.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return unauthenticated401('Invalid token: wrong issuer');
    if (err.claim === 'aud') return unauthenticated401('Invalid token: wrong audience');
    if (err.claim === 'nbf') return unauthenticated401('Invalid token: not yet valid');
    if (err.claim === 'exp') return unauthenticated401('Invalid token: exp is required');
  }
  if (err instanceof jose.JWKSNoMatchingKey || err instanceof jose.JWKSMultipleMatchingKeys) return unauthenticated401('Invalid token: unknown signing key');
  if (err instanceof jose.JWSSignatureVerificationFailed) return unauthenticated401('Invalid token: bad signature');
  if (err instanceof jose.JOSEAlgNotAllowed) return unauthenticated401('Invalid token: algorithm is not accepted');
  return unauthenticated401('Invalid token: malformed');
}
