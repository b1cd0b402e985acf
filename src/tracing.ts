/**
 * OpenTelemetry tracing: the SDK with the http, express, graphql, mysql2, undici (fetch) and pino
 * instrumentations. Required only when tracing is on (src/tracing-bootstrap.ts decides, before any
 * instrumented module is loaded: the instrumentations patch modules as they are required).
 *
 * The exporter comes from the standard variables, which the SDK reads from process.env
 * (OTEL_TRACES_EXPORTER, default otlp; OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _PROTOCOL, _HEADERS,
 * _TIMEOUT; OTEL_TRACES_SAMPLER; OTEL_PROPAGATORS; OTEL_BSP_*). Traces only: metrics stay on
 * /metrics (Prometheus) and logs on stdout, so no OTLP metrics or logs are exported.
 */
import type { IncomingMessage } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { tracingSettings } from './config/tracing';

export interface TracingHandle {
  /** Ends the spans still buffered by exporting them (the exporter's own timeout bounds it); never throws. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Replace the exporter the variables configure (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
  spanProcessors?: SpanProcessor[];
}

/** Probes and scrapes: frequent, uninteresting, and they would drown the requests that matter. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function instrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]),
      // The id every log line of the request carries: from a trace to its logs.
      headersToSpanAttributes: { server: { responseHeaders: ['x-request-id'] } },
    }),
    // Routers and handlers only: one span per middleware (CORS, body parser, ...) is noise.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
    // Never the variables' values (amounts, customer data). Resolver spans down to three levels of
    // fields (refundInvoice.order.pendingRefunds), where the loaders and queries are; deeper fields
    // (amounts, ids) run inside their parent's span. One span for a list's items, not one each.
    new GraphQLInstrumentation({ allowValues: false, depth: 3, mergeItems: true, ignoreTrivialResolveSpans: true }),
    // The SQL text without its values.
    new MySQL2Instrumentation({ maskStatement: true }),
    new UndiciInstrumentation(),
    // trace_id, span_id and trace_flags on every log line written inside a span; the lines still go to stdout only.
    new PinoInstrumentation({ disableLogSending: true }),
  ];
}

/**
 * Starts tracing and registers it globally (the API in @opentelemetry/api then records). Call it
 * before the instrumented modules are first required. `env` gives the service name; with
 * `opts.spanProcessors` those replace the exporter the variables configure.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env, opts: TracingOptions = {}): TracingHandle {
  const sdk = new NodeSDK({
    serviceName: tracingSettings(env).serviceName,
    instrumentations: instrumentations(),
    ...(opts.spanProcessors ? { spanProcessors: opts.spanProcessors } : {}),
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  let stopped: Promise<void> | undefined;
  return {
    shutdown() {
      stopped ??= sdk.shutdown().catch((err: unknown) => {
        process.stderr.write(`tracing: could not export the last spans: ${err instanceof Error ? err.message : String(err)}\n`);
      });
      return stopped;
    },
  };
}
