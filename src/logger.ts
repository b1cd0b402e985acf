import pino, { DestinationStream, Logger } from 'pino';

/**
 * Structured JSON logs; every request's lines carry its requestId, and with tracing on
 * (src/tracing.ts) the trace_id and span_id of the span they were written in. To stdout unless
 * given a destination.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'moneygraph' },
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.token'], censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}
