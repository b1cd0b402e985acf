/**
 * When tracing is on (the standard OTEL_* variables), and that with it off the service loads no
 * OpenTelemetry SDK and patches nothing: the service then runs exactly as without tracing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { tracingSettings } from '../../src/config/tracing';

test('tracing is off without the variables, on with an OTLP endpoint or a traces exporter, and OTEL_SDK_DISABLED wins', () => {
  const on = (env: NodeJS.ProcessEnv) => tracingSettings(env).enabled;
  assert.equal(on({}), false);
  assert.equal(on({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_HEADERS: 'a=b' }), false, 'other OTEL_* variables alone do not turn it on');
  assert.equal(on({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }), false, 'an empty endpoint is no endpoint');
  assert.equal(on({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), true);
  assert.equal(on({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }), true);
  assert.equal(on({ OTEL_TRACES_EXPORTER: 'otlp' }), true, 'otlp to the default endpoint (localhost:4318)');
  assert.equal(on({ OTEL_TRACES_EXPORTER: 'console' }), true);
  assert.equal(on({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), false);
  assert.equal(on({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), false);
  assert.equal(on({ OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' }), false);
  assert.equal(on({ OTEL_SDK_DISABLED: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), true);
  assert.match(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).reason, /OTEL_EXPORTER_OTLP_ENDPOINT/);
  assert.match(tracingSettings({ OTEL_SDK_DISABLED: 'true' }).reason, /OTEL_SDK_DISABLED/);
});

test('the service name: OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES, else moneygraph', () => {
  assert.equal(tracingSettings({}).serviceName, 'moneygraph');
  assert.equal(tracingSettings({ OTEL_SERVICE_NAME: 'moneygraph-eu' }).serviceName, 'moneygraph-eu');
  assert.equal(tracingSettings({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.name=mg%20blue' }).serviceName, 'mg blue');
  assert.equal(tracingSettings({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=a', OTEL_SERVICE_NAME: 'b' }).serviceName, 'b');
  assert.equal(tracingSettings({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod' }).serviceName, 'moneygraph');
});

const DIST_SRC = path.resolve(__dirname, '..', '..', 'src');

/** What loading the service the way main.js does (the bootstrap first) leaves loaded and patched. */
function loadService(env: NodeJS.ProcessEnv): { otel: string[]; httpPatched: boolean } {
  const script = `
    require(${JSON.stringify(path.join(DIST_SRC, 'tracing-bootstrap.js'))});
    require(${JSON.stringify(path.join(DIST_SRC, 'server.js'))});
    const otel = [...new Set(Object.keys(require.cache).map((k) => /node_modules\\/(@opentelemetry\\/[^/]+)/.exec(k)?.[1]).filter(Boolean))];
    console.log(JSON.stringify({ otel, httpPatched: Boolean(require('node:http').request.__wrapped) }));`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

test('with tracing off nothing of the SDK is loaded and no module is patched; only the no-op API is there', () => {
  for (const env of [
    {},
    { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
    { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
  ]) {
    const loaded = loadService(env);
    assert.deepEqual(loaded.otel, ['@opentelemetry/api'], JSON.stringify(env));
    assert.equal(loaded.httpPatched, false, JSON.stringify(env));
  }
  // The check sees a started SDK: with an endpoint the SDK is loaded and http is patched.
  const on = loadService({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
  assert.ok(on.otel.includes('@opentelemetry/sdk-node'), on.otel.join(', '));
  assert.equal(on.httpPatched, true);
});
