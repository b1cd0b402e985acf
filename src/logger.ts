import pino, { Logger } from 'pino';

/** Structured JSON logs; every request's lines carry its requestId. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'moneygraph' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.token'], censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  });
}
