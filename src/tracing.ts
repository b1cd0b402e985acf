/**
 * OpenTelemetry tracing: the SDK with the http, express, graphql, mysql2, undici (fetch) and pino
 * instrumentations. Required only when tracing is on (src/tracing-bootstrap.ts decides, before any
 * instrumented module is loaded: the instrumentations patch modules as they are required).
 *
 * The exporter comes from the standard variables, which the SDK reads from process.env
 * (OTEL_TRACES_EXPORTER, default otlp; OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _PROTOCOL, _HEADERS,
 * _TIMEOUT; OTEL_PROPAGATORS; OTEL_BSP_*). Traces only: metrics stay on /metrics (Prometheus) and
 * logs on stdout, so no OTLP metrics or logs are exported.
 */
import type { IncomingMessage } from 'node:http';
import { Attributes, Context, Link, SpanKind, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  Sampler,
  SamplingDecision,
  SamplingResult,
  SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
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

function instrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
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

/** The standard OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG; parentbased_always_on by default. */
function samplerFromEnv(env: NodeJS.ProcessEnv): Sampler {
  const arg = Number(env.OTEL_TRACES_SAMPLER_ARG);
  const ratio = env.OTEL_TRACES_SAMPLER_ARG?.trim() && arg >= 0 && arg <= 1 ? arg : 1;
  switch (env.OTEL_TRACES_SAMPLER?.trim()) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * A query outside any trace is not recorded: the workers poll the database every few hundred
 * milliseconds (outbox, webhook retries, recovery, exceptions) and each query would be a trace of
 * its own, as would every statement of the migrations at start-up. The workers' calls to the
 * upstream systems and a refund's PSP call stay traced, with their queries inside them.
 */
class QueriesInTracesOnly implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(ctx: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const query = attributes['db.system.name'] !== undefined || attributes['db.system'] !== undefined;
    if (query && !trace.getSpanContext(ctx)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(ctx, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `QueriesInTracesOnly{${this.inner.toString()}}`;
  }
}

/**
 * Starts tracing and registers it globally (the API in @opentelemetry/api then records). Call it
 * before the instrumented modules are first required. `env` gives the service name and the
 * sampler (OTEL_TRACES_SAMPLER); with `opts.spanProcessors` those replace the exporter the
 * variables configure.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env, opts: TracingOptions = {}): TracingHandle {
  const sdk = new NodeSDK({
    serviceName: tracingSettings(env).serviceName,
    sampler: new QueriesInTracesOnly(samplerFromEnv(env)),
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
