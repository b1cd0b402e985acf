/**
 * The first import of src/main.ts. When the OTEL_* variables turn tracing on, it starts the
 * OpenTelemetry SDK here, before http, express, graphql, mysql2 and pino are first required (the
 * instrumentations patch them as they load). When they do not, it loads nothing else: no SDK, no
 * instrumentation, and the service runs exactly as without it.
 */
import { tracingSettings } from './config/tracing';
import type { TracingHandle } from './tracing';

const settings = tracingSettings(process.env);

function start(): TracingHandle | undefined {
  if (!settings.enabled) return undefined;
  try {
    // Required, not imported: with tracing off this module (and the SDK behind it) is never loaded,
    // and it must load synchronously, before main's next import pulls in what it instruments.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a conditional, synchronous load is the point
    const { startTracing } = require('./tracing') as typeof import('./tracing');
    return startTracing(process.env);
  } catch (err) {
    // Traces are for diagnosis: a tracing set-up that fails never keeps refunds from running.
    process.stderr.write(`tracing: not started (${settings.reason}): ${err instanceof Error ? err.message : String(err)}\n`);
    return undefined;
  }
}

const handle = start();

/** What main logs at start-up when this process traces (why, and under which service name); undefined when it does not. */
export const tracing = handle ? { reason: settings.reason, serviceName: settings.serviceName } : undefined;

/** Exports the spans still buffered; main awaits it at the end of a clean shutdown. A no-op with tracing off. */
export async function shutdownTracing(): Promise<void> {
  await handle?.shutdown();
}
