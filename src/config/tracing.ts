/**
 * Whether the service traces, from the standard OpenTelemetry variables. Pure and dependency-free:
 * src/tracing-bootstrap.ts asks it before anything else is loaded, so that with tracing off no
 * OpenTelemetry SDK is ever required. Everything else the SDK reads itself (the exporter's
 * endpoint, headers, protocol and timeout, the sampler, the propagators, OTEL_RESOURCE_ATTRIBUTES).
 */

export interface TracingSettings {
  enabled: boolean;
  /** Why it is on or off, in words for the start-up log line. */
  reason: string;
  /** OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES, else "moneygraph". */
  serviceName: string;
}

const set = (v: string | undefined) => v !== undefined && v.trim() !== '';
const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/**
 * On when OTEL_TRACES_EXPORTER names an exporter (anything but "none"), or when it is unset and an
 * OTLP endpoint is (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). Off
 * otherwise, and always off with OTEL_SDK_DISABLED=true.
 */
export function tracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const fromAttributes = list(env.OTEL_RESOURCE_ATTRIBUTES).length
    ? (env.OTEL_RESOURCE_ATTRIBUTES ?? '')
        .split(',')
        .map((kv) => kv.split('='))
        .find(([k]) => k?.trim() === 'service.name')?.[1]
        ?.trim()
    : undefined;
  const serviceName = set(env.OTEL_SERVICE_NAME) ? env.OTEL_SERVICE_NAME!.trim() : fromAttributes ? decodeURIComponent(fromAttributes) : 'moneygraph';
  const off = (reason: string): TracingSettings => ({ enabled: false, reason, serviceName });
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return off('OTEL_SDK_DISABLED=true');
  const exporters = list(env.OTEL_TRACES_EXPORTER).filter((e) => e !== 'null');
  if (exporters.length) {
    if (exporters.length === 1 && exporters[0] === 'none') return off('OTEL_TRACES_EXPORTER=none');
    return { enabled: true, reason: `OTEL_TRACES_EXPORTER=${exporters.join(',')}`, serviceName };
  }
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'] as const) {
    if (set(env[name])) return { enabled: true, reason: `${name} is set`, serviceName };
  }
  return off('no OTLP endpoint and no OTEL_TRACES_EXPORTER');
}
