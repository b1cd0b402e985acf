/**
 * The bad-input catalogue: hostile or broken requests, each answered with a clear error of the
 * right code, nothing stored (every table counted before and after each case), and the service
 * still serving at the end. Audit rows of refused mutations are the one thing a case may add:
 * an attempt is itself worth recording, and only with a REJECTED outcome.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { getNamedType, GraphQLInputType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType } from 'graphql';
import { createTestApp, DEMO_KEYS, stopTestServer, TestApp } from '../support/test-app';
import { call, paidOrder, returnInvoice } from '../support/drive';
import { minimalRequest, sampleValue } from '../support/schema-samples';
import { token } from '../support/tokens';
import { appSchema } from '../../src/modules';
import { sign } from '../../src/webhooks/webhook.service';

const SECRETS = { oms: 'test-oms-secret-0123456789', psp: 'test-psp-secret-0123456789', erp: 'test-erp-secret-0123456789' };
const ADMIN = `Bearer ${DEMO_KEYS.ADMIN}`;

let t: TestApp;
let orderId: string;
let invoiceId: string;
let host: { hostname: string; port: number };

interface Answer {
  status: number;
  text: string;
  body: any;
  headers: http.IncomingHttpHeaders;
}

/** Raw HTTP: bytes, headers and methods exactly as given (no client-side fixing up). */
function raw(method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...host, method, path, headers: { ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: any;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, body: parsed, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** As current GraphQL clients ask (application/graphql-response+json): request errors keep their 4xx status. */
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const gqlPost = (payload: unknown, auth = ADMIN, contentType = 'application/json') =>
  raw('POST', '/graphql', typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload), {
    'Content-Type': contentType,
    Accept: GRAPHQL_RESPONSE,
    Authorization: auth,
  });

/** Rows of every table but the migrations and the callers' cost budgets (a refused request is still metered). */
async function tableCounts(): Promise<Record<string, number>> {
  const tables: { name: string }[] = await t.dataSource.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', 'graphql_budget')",
  );
  const out: Record<string, number> = {};
  for (const { name } of tables) out[name] = Number((await t.dataSource.query(`SELECT COUNT(*) AS n FROM \`${name}\``))[0].n);
  return out;
}

async function webhookEvent(source: 'oms' | 'psp' | 'erp', body: unknown, opts: { eventId?: string; secret?: string; signature?: string; raw?: string } = {}) {
  const bytes = opts.raw ?? JSON.stringify(body);
  return raw('POST', `/webhooks/${source}`, bytes, {
    'Content-Type': 'application/json',
    'X-Signature': opts.signature ?? sign(opts.secret ?? SECRETS[source], bytes),
    ...(opts.eventId ? { 'X-Event-Id': opts.eventId } : {}),
  });
}

interface Expect {
  status: number | number[];
  /** GraphQL error code, or the code of the first userError when `userError` is set. */
  code?: string | string[];
  message?: RegExp;
  userError?: boolean;
  /** Tables a case is allowed to grow, e.g. a rejected webhook kept raw for inspection. */
  stores?: Record<string, number>;
}

interface Case {
  name: string;
  send: () => Promise<Answer>;
  expect: Expect;
}

const cases: Case[] = [];
const add = (name: string, send: () => Promise<Answer>, expect: Expect) => cases.push({ name, send, expect });

// ---------------------------------------------------------------------------------------------
// HTTP and JSON
add('malformed JSON', () => gqlPost('{"query":'), { status: 400, code: 'BAD_REQUEST', message: /malformed JSON/ });
add('JSON followed by garbage', () => gqlPost('{"query":"{ __typename }"} trailing'), { status: 400, code: 'BAD_REQUEST', message: /malformed JSON/ });
add('JSON null body', () => gqlPost('null'), { status: 400, code: 'BAD_REQUEST' });
add('JSON string body', () => gqlPost('"{ __typename }"'), { status: 400, code: 'BAD_REQUEST' });
add('empty JSON object (no query)', () => gqlPost('{}'), { status: 400, code: 'BAD_REQUEST', message: /no keys/ });
add('query is a number', () => gqlPost({ query: 42 }), { status: 400, code: 'BAD_REQUEST' });
add('variables is a string', () => gqlPost({ query: '{ __typename }', variables: 'x' }), { status: 400, code: 'BAD_REQUEST' });
add('Content-Type text/plain', () => gqlPost({ query: '{ __typename }' }, ADMIN, 'text/plain'), { status: 415, code: 'BAD_REQUEST', message: /application\/json/ });
add('Content-Type form-urlencoded', () => gqlPost('query=%7B__typename%7D', ADMIN, 'application/x-www-form-urlencoded'), { status: 415, code: 'BAD_REQUEST' });
add('Content-Type multipart/form-data', () => gqlPost('--x\r\n\r\n--x--', ADMIN, 'multipart/form-data; boundary=x'), { status: 415, code: 'BAD_REQUEST' });
add('Content-Type application/graphql', () => gqlPost('{ __typename }', ADMIN, 'application/graphql'), { status: 415, code: 'BAD_REQUEST' });
add('no Content-Type, no body', () => raw('POST', '/graphql', undefined, { Authorization: ADMIN }), { status: 415, code: 'BAD_REQUEST' });
add('charset latin1', () => gqlPost({ query: '{ __typename }' }, ADMIN, 'application/json; charset=latin1'), { status: 415, code: 'BAD_REQUEST', message: /charset/ });
add('huge body (1 MiB)', () => gqlPost({ query: `{ __typename } # ${'x'.repeat(1 << 20)}` }), { status: 413, code: 'BAD_REQUEST', message: /too large/ });
add('batched operations', () => gqlPost([{ query: '{ __typename }' }, { query: '{ __typename }' }]), { status: 400, code: 'BAD_REQUEST', message: /Batched/ });
add('empty batch', () => gqlPost([]), { status: 400, code: 'BAD_REQUEST', message: /Batched/ });
add('invalid UTF-8 in the document', () => gqlPost(Buffer.concat([Buffer.from('{"query":"{ __typename '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' }"}')])), {
  status: 400,
  code: 'BAD_REQUEST',
  message: /not valid UTF-8/,
});
add(
  'invalid UTF-8 in a variable',
  () => gqlPost(Buffer.concat([Buffer.from('{"query":"query($id: ID!) { order(id: $id) { id } }","variables":{"id":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}}')])),
  {
    status: 400,
    code: 'BAD_REQUEST',
    message: /not valid UTF-8/,
  },
);
add('lone surrogate escape in a GraphQL string', () => gqlPost({ query: '{ order(id: "\\uD800") { id } }' }), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
add(
  'mutation over GET',
  () => raw('GET', `/graphql?query=${encodeURIComponent('mutation { syncOrder(input: { orderId: "x" }) { userErrors { code } } }')}`, undefined, { Authorization: ADMIN }),
  {
    status: 405,
    code: 'BAD_REQUEST',
    message: /GET requests only support query/,
  },
);
add('PUT /graphql', () => raw('PUT', '/graphql', JSON.stringify({ query: '{ __typename }' }), { 'Content-Type': 'application/json', Authorization: ADMIN }), {
  status: 405,
  code: 'BAD_REQUEST',
});
add('a 20 KB query string over GET (header limit)', () => raw('GET', `/graphql?query=${'%20'.repeat(20_000)}`, undefined, { Authorization: ADMIN }), { status: 431 });
add(
  'forged X-Request-Id is not echoed',
  async () => {
    const a = await raw('POST', '/graphql', '{"query":"{ nope }"}', {
      'Content-Type': 'application/json',
      Accept: GRAPHQL_RESPONSE,
      Authorization: ADMIN,
      'X-Request-Id': '<script>alert(1)</script>',
    });
    assert.match(String(a.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    return a;
  },
  { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
);

// ---------------------------------------------------------------------------------------------
// GraphQL documents
add('syntax error', () => gqlPost({ query: '{ order(id: "x" { id } }' }), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
add('NUL character in the document', () => gqlPost({ query: '{ __typename \u0000 }' }), { status: 400, code: 'GRAPHQL_PARSE_FAILED' });
add('unknown field', () => gqlPost({ query: '{ orders { nodes { creditCardNumber } } }' }), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
add('subscription operation', () => gqlPost({ query: 'subscription { orders { nodes { id } } }' }), { status: 400, code: 'BAD_REQUEST', message: /no subscription operations/ });
add('two operations, no operationName', () => gqlPost({ query: 'query A { __typename } query B { __typename }' }), { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' });
add('operationName that does not exist', () => gqlPost({ query: 'query A { __typename }', operationName: 'B' }), { status: 400, code: 'OPERATION_RESOLUTION_FAILURE' });
add('fragment cycle', () => gqlPost({ query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
add('deep query (50 levels)', () => gqlPost({ query: `{ orders { nodes { ${'payments { order { '.repeat(24)}id${' } }'.repeat(24)} } } }` }), {
  status: 400,
  code: 'QUERY_TOO_COMPLEX',
  message: /depth/,
});
add('deep introspection', () => gqlPost({ query: '{ __type(name: "Order") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }' }), {
  status: 400,
  code: 'GRAPHQL_VALIDATION_FAILED',
  message: /introspection depth/i,
});
add('wide query: 100 aliased order lookups', () => gqlPost({ query: `{ ${Array.from({ length: 100 }, (_, i) => `o${i}: order(id: "${i}") { id }`).join(' ')} }` }), {
  status: 400,
  code: 'QUERY_TOO_COMPLEX',
  message: /aliases/,
});
add('alias bomb through fragments', () => gqlPost({ query: `{ ...A ...A ...A } fragment A on Query { ${Array.from({ length: 20 }, (_, i) => `x${i}: __typename`).join(' ')} }` }), {
  status: 400,
  code: 'QUERY_TOO_COMPLEX',
  message: /aliases/,
});
add('repeated directives', () => gqlPost({ query: `{ __typename ${'@include(if: true) '.repeat(50)}}` }), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
add('expensive query over the cost limit', () => gqlPost({ query: '{ orders(first: 100) { nodes { payments { captures { payment { captures { id } } } } } } }' }), {
  status: 400,
  code: 'QUERY_TOO_COMPLEX',
  message: /cost/,
});
add('too many tokens', () => gqlPost({ query: `{ ${'__typename '.repeat(6000)}}` }), { status: 400, code: 'GRAPHQL_PARSE_FAILED', message: /tokens/ });

// ---------------------------------------------------------------------------------------------
// Numbers, cursors, dates, enums
const ORDERS = 'query($first: Int, $after: String, $f: OrdersFilterInput) { orders(first: $first, after: $after, filter: $f) { nodes { id } } }';
add('first: 101', () => gqlPost({ query: ORDERS, variables: { first: 101 } }), { status: 400, code: 'BAD_USER_INPUT', message: /at most 100/ });
add('first: -1', () => gqlPost({ query: ORDERS, variables: { first: -1 } }), { status: 400, code: 'BAD_USER_INPUT' });
add('first: 2^31 (not an Int)', () => gqlPost({ query: ORDERS, variables: { first: 2 ** 31 } }), { status: 400, code: 'BAD_USER_INPUT' });
add('first: 1e308', () => gqlPost(`{"query":${JSON.stringify(ORDERS)},"variables":{"first":1e308}}`), { status: 400, code: 'BAD_USER_INPUT' });
add('first: 1.5', () => gqlPost({ query: ORDERS, variables: { first: 1.5 } }), { status: 400, code: 'BAD_USER_INPUT' });
add('first: "10" (a string)', () => gqlPost({ query: ORDERS, variables: { first: '10' } }), { status: 400, code: 'BAD_USER_INPUT' });
add('first literal out of Int range', () => gqlPost({ query: '{ orders(first: 99999999999) { nodes { id } } }' }), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
add('garbage cursor', () => gqlPost({ query: ORDERS, variables: { after: "' OR 1=1 --" } }), { status: 200, code: 'BAD_USER_INPUT', message: /cursor/ });
add(
  'forged cursor with SQL inside',
  () => gqlPost({ query: ORDERS, variables: { after: Buffer.from(JSON.stringify(["2020-01-01' OR '1'='1", "x' OR 1=1 --"])).toString('base64url') } }),
  {
    status: 200,
    code: 'BAD_USER_INPUT',
    message: /cursor/,
  },
);
add('cursor of 10 KB', () => gqlPost({ query: ORDERS, variables: { after: 'A'.repeat(10_000) } }), { status: 200, code: 'BAD_USER_INPUT', message: /cursor/ });
add('date that is not a date', () => gqlPost({ query: ORDERS, variables: { f: { createdFrom: 'yesterday' } } }), { status: 400, code: 'BAD_USER_INPUT' });
add('date in year 275760+', () => gqlPost({ query: ORDERS, variables: { f: { createdFrom: '+275761-01-01T00:00:00Z' } } }), { status: 400, code: 'BAD_USER_INPUT' });
add('inverted period', () => gqlPost({ query: ORDERS, variables: { f: { createdFrom: '2024-02-01T00:00:00Z', createdTo: '2024-01-01T00:00:00Z' } } }), {
  status: 200,
  code: 'BAD_USER_INPUT',
});
add('unknown currency', () => gqlPost({ query: ORDERS, variables: { f: { currencyCode: 'XXX' } } }), { status: 400, code: 'BAD_USER_INPUT' });
add('enum in lower case', () => gqlPost({ query: ORDERS, variables: { f: { status: ['confirmed'] } } }), { status: 400, code: 'BAD_USER_INPUT' });
add('a 5000-deep array for a String variable', () => gqlPost(`{"query":"query($id: ID!) { order(id: $id) { id } }","variables":{"id":${'['.repeat(5000)}${']'.repeat(5000)}}}`), {
  status: 400,
  code: 'BAD_USER_INPUT',
});

// ---------------------------------------------------------------------------------------------
// Money strings (refundInvoice on a real order with a return invoice)
const REFUND = 'mutation($i: RefundInvoiceInput!) { refundInvoice(input: $i) { refund { id } userErrors { code field } } }';
const refund = (amount: unknown, extra: Record<string, unknown> = {}) =>
  gqlPost({
    query: REFUND,
    variables: { i: { orderId, invoiceId, amount, reason: 'bad input catalogue', idempotencyKey: `bad-${String(amount).slice(0, 40)}-${JSON.stringify(extra)}`, ...extra } },
  });
add('money: not a number', () => refund('ten euros'), { status: 400, code: 'BAD_USER_INPUT' });
add('money: exponent notation', () => refund('1e3'), { status: 400, code: 'BAD_USER_INPUT' });
add('money: a JSON number', () => refund(10.5), { status: 400, code: 'BAD_USER_INPUT' });
add('money: 30 digits', () => refund('123456789012345678901234567890'), { status: 400, code: 'BAD_USER_INPUT' });
add('money: negative', () => refund('-10.00'), { status: 200, userError: true, code: ['AMOUNT_NOT_POSITIVE', 'INVALID_AMOUNT'] });
add('money: zero', () => refund('0.00'), { status: 200, userError: true, code: ['AMOUNT_NOT_POSITIVE', 'INVALID_AMOUNT'] });
add('money: too precise for EUR', () => refund('10.001'), { status: 200, userError: true, code: 'AMOUNT_TOO_PRECISE' });
add('money: astronomically large', () => refund('99999999999999999999.99'), { status: 200, userError: true, code: ['AMOUNT_TOO_LARGE', 'AMOUNT_EXCEEDS_PENDING'] });
add('money: currency not the order’s', () => refund('1.00', { currencyCode: 'JPY' }), { status: 200, userError: true, code: 'CURRENCY_MISMATCH' });

// ---------------------------------------------------------------------------------------------
// Credentials
const withAuth = (auth: string) => gqlPost({ query: '{ orders(first: 1) { nodes { id } } }' }, auth);
add('no credential', () => raw('POST', '/graphql', '{"query":"{ __typename }"}', { 'Content-Type': 'application/json', Accept: GRAPHQL_RESPONSE }), {
  status: 401,
  code: 'UNAUTHENTICATED',
});
// Asked as application/json (or with no Accept, as a federation gateway asks): a GraphQL response is 200, the code in extensions.code.
add('no credential, Accept: application/json', () => raw('POST', '/graphql', '{"query":"{ __typename }"}', { 'Content-Type': 'application/json', Accept: 'application/json' }), {
  status: 200,
  code: 'UNAUTHENTICATED',
});
add(
  'SUPPORT calling a mutation, no Accept',
  () =>
    raw('POST', '/graphql', '{"query":"mutation { syncOrder(input: { orderId: \\"x\\" }) { userErrors { code } } }"}', {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${DEMO_KEYS.SUPPORT}`,
    }),
  {
    status: 200,
    code: 'FORBIDDEN',
  },
);
add(
  'syntax error, Accept: application/json',
  () => raw('POST', '/graphql', '{"query":"{ order(id: "}', { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: ADMIN }),
  {
    status: 200,
    code: 'GRAPHQL_PARSE_FAILED',
  },
);
add('expired token', () => withAuth(`Bearer ${token({ role: 'ADMIN', iat: Math.floor(Date.now() / 1000) - 7200, ttl: 3600 })}`), {
  status: 401,
  code: 'UNAUTHENTICATED',
  message: /expired/,
});
add('token signed with another secret', () => withAuth(`Bearer ${token({ role: 'ADMIN', key: 'not-the-configured-secret-but-long-enough' })}`), {
  status: 401,
  code: 'UNAUTHENTICATED',
  message: /signature/,
});
add('token with alg none', () => withAuth(`Bearer ${token({ role: 'ADMIN', alg: 'none' })}`), { status: 401, code: 'UNAUTHENTICATED' });
add('token for another audience', () => withAuth(`Bearer ${token({ role: 'ADMIN', audience: 'billing' })}`), { status: 401, code: 'UNAUTHENTICATED', message: /audience/ });
add('token claiming the SYSTEM role', () => withAuth(`Bearer ${token({ role: 'SYSTEM' })}`), { status: 401, code: 'UNAUTHENTICATED' });
add('Basic credentials', () => withAuth('Basic YWRtaW46YWRtaW4='), { status: 401, code: 'UNAUTHENTICATED' });
add('an API key that is one character off', () => withAuth('Bearer demo-admin-kez'), { status: 401, code: 'UNAUTHENTICATED' });
add('SUPPORT calling a mutation', () => gqlPost({ query: 'mutation { syncOrder(input: { orderId: "x" }) { userErrors { code } } }' }, `Bearer ${DEMO_KEYS.SUPPORT}`), {
  status: 403,
  code: 'FORBIDDEN',
});

// ---------------------------------------------------------------------------------------------
// Webhooks
const replayable: { source: 'oms' | 'psp'; eventId: string; body: unknown }[] = [];
add('webhook with a bad HMAC', () => webhookEvent('oms', { id: 'evt-forged', type: 'order.upserted', data: {} }, { signature: `sha256=${'0'.repeat(64)}` }), { status: 401 });
add('webhook without a signature', () => raw('POST', '/webhooks/psp', '{"id":"e","type":"payment.upserted"}', { 'Content-Type': 'application/json' }), { status: 401 });
add('webhook signed with another source’s secret', () => webhookEvent('erp', { id: 'evt-x', type: 'posting.created' }, { secret: SECRETS.psp }), { status: 401 });
add(
  'webhook body changed after signing',
  () => {
    const signed = JSON.stringify({ id: 'evt-y', type: 'order.upserted' });
    return webhookEvent('oms', null, { raw: signed.replace('evt-y', 'evt-z'), signature: sign(SECRETS.oms, signed) });
  },
  { status: 401 },
);
add('webhook for an unknown source', () => raw('POST', '/webhooks/bank', '{}', { 'Content-Type': 'application/json' }), { status: 404 });
add('webhook over the size limit', () => webhookEvent('psp', { id: 'evt-big', type: 'payment.upserted', pad: 'x'.repeat(1_100_000) }), { status: 413 });
add('signed webhook that is not JSON (kept raw, refused)', () => webhookEvent('oms', null, { raw: 'not json at all', eventId: 'evt-not-json' }), {
  status: 400,
  message: /not valid JSON/,
  stores: { webhook_event: 1 },
});
add(
  'replayed OMS webhook',
  async () => {
    const e = replayable.find((r) => r.source === 'oms')!;
    return webhookEvent('oms', e.body, { eventId: e.eventId });
  },
  { status: 200, message: /"duplicate":true/ },
);
add(
  'replayed PSP webhook',
  async () => {
    const e = replayable.find((r) => r.source === 'psp')!;
    return webhookEvent('psp', e.body, { eventId: e.eventId });
  },
  { status: 200, message: /"duplicate":true/ },
);

// ---------------------------------------------------------------------------------------------

before(async () => {
  t = await createTestApp();
  const u = new URL(t.url);
  host = { hostname: u.hostname, port: Number(u.port) };
  const o = await paidOrder(t.sims, { total: '10000' });
  orderId = o.orderId;
  invoiceId = await returnInvoice(t.sims, orderId, '1000');
  for (const source of ['oms', 'psp'] as const) {
    const state = await call(t.sims.urls[source], 'GET', '/_state');
    replayable.push(...state.webhooks.events.slice(0, 1).map((e: { eventId: string; body: unknown }) => ({ source, eventId: e.eventId, body: e.body })));
  }
});
after(async () => {
  await t?.close();
  await stopTestServer();
});

async function check(c: Case): Promise<void> {
  const before = await tableCounts();
  const maxAudit = Number((await t.dataSource.query('SELECT COALESCE(MAX(id), 0) AS m FROM audit_log'))[0].m);
  const a = await c.send();
  const e = c.expect;
  const statuses = Array.isArray(e.status) ? e.status : [e.status];
  assert.ok(statuses.includes(a.status), `status ${a.status}, expected ${statuses.join('|')}: ${a.text.slice(0, 400)}`);
  assert.doesNotMatch(a.text, /INTERNAL_SERVER_ERROR|\bER_[A-Z_]+|SELECT |\.js:\d+|at [\w.]+ \(/, 'no internal error, SQL or stack');
  if (e.code) {
    const codes = Array.isArray(e.code) ? e.code : [e.code];
    const got = e.userError ? Object.values(a.body?.data ?? {})[0] && (Object.values(a.body.data)[0] as any).userErrors?.[0]?.code : a.body?.errors?.[0]?.extensions?.code;
    assert.ok(codes.includes(got), `code ${got}, expected ${codes.join('|')}: ${a.text.slice(0, 400)}`);
  }
  if (e.message) assert.match(a.text, e.message);
  const afterCounts = await tableCounts();
  const grew = Object.fromEntries(
    Object.entries(afterCounts)
      .filter(([k, n]) => n !== before[k])
      .map(([k, n]) => [k, n - (before[k] ?? 0)]),
  );
  const auditGrowth = grew.audit_log ?? 0;
  if (auditGrowth) {
    const outcomes: { outcome: string }[] = await t.dataSource.query('SELECT outcome FROM audit_log WHERE id > ?', [maxAudit]);
    assert.ok(
      outcomes.every((o) => o.outcome.startsWith('REJECTED')),
      `only refusals may be audited: ${JSON.stringify(outcomes)}`,
    );
    delete grew.audit_log;
  }
  assert.deepEqual(grew, e.stores ?? {}, 'nothing stored');
}

describe('bad-input catalogue', () => {
  test('has at least 50 hand-written cases', () => assert.ok(cases.length >= 50, String(cases.length)));
  for (const c of cases) test(c.name, () => check(c));
});

// ---------------------------------------------------------------------------------------------
// Injection strings in every string argument of every operation (generated from the schema)

const INJECTIONS = [
  "' OR '1'='1",
  '"; DROP TABLE oms_order; --',
  '\u0000\u0001\u001b[2J',
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '${jndi:ldap://x/a}',
  '😀'.repeat(300),
  'x'.repeat(20_000),
];

/** Paths of every String/ID leaf reachable in an argument (input objects included, lists entered). */
function stringPaths(type: GraphQLInputType, path: string[]): string[][] {
  const named = getNamedType(type);
  if (isScalarType(named)) return named.name === 'String' || named.name === 'ID' ? [path] : [];
  if (isEnumType(named) || !isInputObjectType(named)) return [];
  return Object.values(named.getFields()).flatMap((f) => stringPaths(f.type, [...path, f.name]));
}

/** A value of `type` with `value` at `path` and sample values in the other required fields. */
function valueWith(type: GraphQLInputType, path: string[], value: string): unknown {
  if (isNonNullType(type)) return valueWith(type.ofType, path, value);
  if (isListType(type)) return [valueWith(type.ofType, path, value)];
  const [head, ...rest] = path;
  if (head === undefined || !isInputObjectType(type)) return value;
  const obj = sampleValue(type, type.name) as Record<string, unknown>;
  const field = type.getFields()[head];
  assert.ok(field, `${type.name} has a field ${head}`);
  obj[head] = valueWith(field.type, rest, value);
  return obj;
}

describe('injection strings in every string argument', async () => {
  const schema = await appSchema();
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  for (const [kind, type] of roots) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      for (const arg of field.args) {
        for (const path of stringPaths(arg.type, [arg.name])) {
          test(`${kind} ${field.name}(${path.join('.')})`, async () => {
            // Reads that refresh derived tables (the exception classifier) do so on a benign call first.
            await gqlPost(minimalRequest(kind, field));
            for (const value of INJECTIONS) {
              const req = minimalRequest(kind, field, { [arg.name]: valueWith(arg.type, path.slice(1), value) });
              await check({ name: `${field.name} ${value.slice(0, 20)}`, send: () => gqlPost(req), expect: { status: [200, 400] } });
            }
          });
        }
      }
    }
  }
});

describe('afterwards', () => {
  test('the service still serves a normal query', async () => {
    const r = await t.gql('SUPPORT', 'query($id: ID!) { order(id: $id) { id moneyState { captured { amount } } } }', { id: orderId });
    assert.equal(r.status, 200);
    assert.equal(r.data.order.moneyState.captured.amount, '100.00');
    assert.equal((await raw('GET', '/readyz')).status, 200);
  });
});
