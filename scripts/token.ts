/**
 * `npm run -s token -- --role ADMIN --sub alice [--ttl 3600]`: prints a bearer JWT signed with the
 * configured HS256 secret (JWT_SECRET; in development the built-in dev secret), with the
 * configured issuer and audience — for the demo and for trying roles from the IDE or curl.
 */
import { parseArgs } from 'node:util';
import jwt from 'jsonwebtoken';
import { ConfigError, loadConfig } from '../src/config';
import { EXIT, printHelp, UsageError } from './lib/cli';
import { API_ROLES } from '../src/graphql/limits.config';

export function mintToken(secret: string, o: { role: string; sub: string; ttlSeconds: number; issuer: string; audience: string; roleClaim: string }): string {
  return jwt.sign({ [o.roleClaim]: o.role }, secret, { algorithm: 'HS256', subject: o.sub, expiresIn: o.ttlSeconds, issuer: o.issuer, audience: o.audience });
}

const USAGE = `usage: npm run -s token -- --role ${API_ROLES.join('|')} --sub <subject> [--ttl <seconds>]`;

function main(): number {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string', default: '3600' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) return printHelp(USAGE);
  const role = values.role?.toUpperCase() ?? '';
  if (!(API_ROLES as readonly string[]).includes(role) || !values.sub) throw new UsageError(USAGE);
  const config = loadConfig();
  if (!config.jwt.secret) throw new UsageError('No JWT_SECRET is configured (RS256-only deployments mint tokens at their identity provider)');
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > config.jwt.maxTtlSeconds) {
    throw new UsageError(`--ttl must be 1…${config.jwt.maxTtlSeconds} seconds (JWT_MAX_TTL_SECONDS)`);
  }
  const { issuer, audience, roleClaim } = config.jwt;
  process.stdout.write(`${mintToken(config.jwt.secret, { role, sub: values.sub, ttlSeconds, issuer, audience, roleClaim })}\n`);
  return EXIT.OK;
}

if (require.main === module) {
  try {
    process.exit(main());
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    const usage = err instanceof UsageError || err instanceof ConfigError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.exit(usage ? EXIT.USAGE : EXIT.FAILURE);
  }
}
