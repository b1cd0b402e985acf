/**
 * Federation as a supergraph team runs it: moneygraph composed with a second subgraph (shipping:
 * it extends Order and defines its own Money) by @apollo/gateway, with IntrospectAndCompose, and
 * queried through the gateway both ways — moneygraph → shipping and shipping → moneygraph by
 * `_entities` — with the caller's Authorization header forwarded to every subgraph.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLEnumType, parse, printType } from 'graphql';
import { createTestApp, DEMO_KEYS, stopTestServer, TestApp } from '../support/test-app';
import { paidOrder } from '../support/drive';
import { appSchema } from '../../src/modules';

interface GatewayContext {
  authorization?: string;
}

/** What a subgraph answered the gateway, by subgraph name: its extensions (cost, ftv1). */
const subgraphAnswers: { name: string; extensions?: Record<string, unknown> }[] = [];
/** The Authorization header each request to the shipping subgraph carried. */
const shippingSaw: (string | undefined)[] = [];

let t: TestApp;
let orderId: string;
let shipping: { server: ApolloServer; url: string };
let gateway: { server: ApolloServer; url: string };

async function shippingTypeDefs(): Promise<string> {
  // The same currency codes as moneygraph's: an enum two subgraphs share must agree on its values.
  const currency = (await appSchema()).getType('CurrencyCode') as GraphQLEnumType;
  return `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
    scalar Decimal
    ${printType(currency)}
    type Money @shareable {
      amount: Decimal!
      currencyCode: CurrencyCode!
    }
    type Order @key(fields: "id") {
      id: ID!
      shippingFee: Money!
    }
    type Shipment {
      id: ID!
      order: Order!
      cost: Money!
    }
    type Query {
      shipments: [Shipment!]!
    }
  `;
}

async function startShipping(): Promise<{ server: ApolloServer; url: string }> {
  const fee = { amount: '4.90', currencyCode: 'EUR' };
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(await shippingTypeDefs()),
      resolvers: {
        Query: { shipments: () => [{ id: 'shp-1', order: { id: orderId }, cost: fee }] },
        Order: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, shippingFee: fee }) },
      } as never,
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      shippingSaw.push(req.headers.authorization);
      return {};
    },
  });
  return { server, url };
}

/** A data source as a supergraph team writes one: the caller's Authorization goes on to the subgraph. */
class ForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly name: string,
    url: string,
  ) {
    super({ url });
  }
  override willSendRequest(options: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]): void {
    const headers = options.request.http!.headers;
    // An operation a client sent (it carries the incoming request); otherwise the gateway's own health check or SDL fetch.
    if ('incomingRequestContext' in options) {
      if (options.context.authorization) headers.set('authorization', options.context.authorization);
    } else {
      // Loading the subgraphs' SDL at start-up: the gateway's own service key.
      headers.set('authorization', `Bearer ${DEMO_KEYS.SUPPORT}`);
    }
  }
  override async didReceiveResponse({ response }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['didReceiveResponse']>>[0]) {
    subgraphAnswers.push({ name: this.name, extensions: response.extensions as Record<string, unknown> | undefined });
    return response;
  }
}

async function startGateway(): Promise<{ server: ApolloServer; url: string }> {
  const subgraphs = [
    { name: 'moneygraph', url: `${t.url}/graphql` },
    { name: 'shipping', url: shipping.url },
  ];
  const server = new ApolloServer<GatewayContext>({
    gateway: new ApolloGateway({
      supergraphSdl: new IntrospectAndCompose({ subgraphs }),
      buildService: ({ name, url }) => new ForwardingDataSource(name, url!),
    }),
    plugins: [
      {
        // As a router does when it reports traces: the gateway then asks each subgraph for ftv1.
        async requestDidStart({ metrics }) {
          metrics.captureTraces = true;
        },
      },
    ],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { server, url };
}

async function viaGateway(role: keyof typeof DEMO_KEYS | null, query: string, variables: Record<string, unknown> = {}) {
  subgraphAnswers.length = 0;
  shippingSaw.length = 0;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (role) headers.authorization = `Bearer ${DEMO_KEYS[role]}`;
  const res = await fetch(gateway.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[]; extensions?: Record<string, any> } };
}

before(async () => {
  t = await createTestApp();
  orderId = (await paidOrder(t.sims, { customerId: 'cust-12345678' })).orderId;
  shipping = await startShipping();
  gateway = await startGateway();
});
after(async () => {
  await gateway?.server.stop();
  await shipping?.server.stop();
  await t?.close();
  await stopTestServer();
});

describe('composition', () => {
  test('moneygraph composes with a subgraph that defines Money too and extends Order', async () => {
    const sdl = await t.gql('SUPPORT', '{ _service { sdl } }');
    const result = composeServices([
      { name: 'moneygraph', url: 'http://moneygraph', typeDefs: parse(sdl.data._service.sdl) },
      { name: 'shipping', url: 'http://shipping', typeDefs: parse(await shippingTypeDefs()) },
    ]);
    assert.deepEqual(
      result.errors?.map((e) => e.message),
      undefined,
    );
    assert.match(result.supergraphSdl ?? '', /shippingFee: Money!/);
  });

  test('without @shareable on Money the composition fails (INVALID_FIELD_SHARING): the directive is what makes it compose', async () => {
    const sdl = (await t.gql('SUPPORT', '{ _service { sdl } }')).data._service.sdl as string;
    const unshared = sdl.replace(/type Money\s*@shareable/, 'type Money');
    assert.notEqual(unshared, sdl, 'the subgraph SDL marks Money @shareable');
    const result = composeServices([
      { name: 'moneygraph', url: 'http://moneygraph', typeDefs: parse(unshared) },
      { name: 'shipping', url: 'http://shipping', typeDefs: parse(await shippingTypeDefs()) },
    ]);
    assert.ok(result.errors?.some((e) => e.extensions.code === 'INVALID_FIELD_SHARING'));
  });
});

describe('queries through the gateway', () => {
  test('moneygraph → shipping: an order with its money and the field shipping adds to Order', async () => {
    const r = await viaGateway('ADMIN', 'query($id: ID!) { order(id: $id) { id customerId total { amount currencyCode } shippingFee { amount currencyCode } } }', { id: orderId });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
    assert.equal(r.body.data.order.id, orderId);
    assert.equal(r.body.data.order.customerId, 'cust-12345678');
    assert.equal(r.body.data.order.total.currencyCode, 'EUR');
    assert.deepEqual(r.body.data.order.shippingFee, { amount: '4.90', currencyCode: 'EUR' });
    assert.deepEqual(shippingSaw, [`Bearer ${DEMO_KEYS.ADMIN}`], 'the caller’s Authorization reached the shipping subgraph');
  });

  test('shipping → moneygraph: Order entities resolved by moneygraph, as the forwarded caller (SUPPORT sees the customer masked)', async () => {
    const q = '{ shipments { id cost { amount } order { id status customerId } } }';
    const support = await viaGateway('SUPPORT', q);
    assert.equal(support.status, 200, JSON.stringify(support.body));
    assert.equal(support.body.errors, undefined, JSON.stringify(support.body.errors));
    assert.equal(support.body.data.shipments[0].order.id, orderId);
    assert.equal(support.body.data.shipments[0].order.customerId, '****5678');
    const admin = await viaGateway('ADMIN', q);
    assert.equal(admin.body.data.shipments[0].order.customerId, 'cust-12345678');
  });

  test('a policy refusal arrives with its own message and code, not a generic "403: Forbidden"', async () => {
    const r = await viaGateway('SUPPORT', '{ auditLog(first: 1) { nodes { id } } }');
    const e = r.body.errors?.[0];
    assert.ok(e, JSON.stringify(r.body));
    assert.match(e.message, /Role SUPPORT may not call auditLog/);
    assert.equal(e.extensions?.code, 'FORBIDDEN');
    assert.equal(r.body.data?.auditLog ?? null, null);
  });

  test('a caller without credentials: UNAUTHENTICATED with moneygraph’s message', async () => {
    const r = await viaGateway(null, 'query($id: ID!) { order(id: $id) { id } }', { id: orderId });
    const e = r.body.errors?.[0];
    assert.ok(e, JSON.stringify(r.body));
    assert.equal(e.extensions?.code, 'UNAUTHENTICATED');
    assert.match(e.message, /Authentication required/);
  });

  test('the gateway gets an inline trace (ftv1) and the cost extension from moneygraph; it is the router that reports them on', async () => {
    const r = await viaGateway('SUPPORT', 'query($id: ID!) { order(id: $id) { id shippingFee { amount } } }', { id: orderId });
    assert.equal(r.body.errors, undefined, JSON.stringify(r.body.errors));
    const mg = subgraphAnswers.find((a) => a.name === 'moneygraph');
    assert.ok(mg, 'moneygraph answered');
    assert.equal(typeof mg.extensions?.ftv1, 'string');
    assert.ok(Buffer.from(mg.extensions!.ftv1 as string, 'base64').length > 10);
    const cost = mg.extensions?.cost as { requestedQueryCost: number; throttleStatus: { maximumAvailable: number } };
    assert.ok(cost.requestedQueryCost > 0);
    assert.equal(cost.throttleStatus.maximumAvailable, t.config.graphqlLimits.SUPPORT.budget);
    // @apollo/gateway does not merge subgraph extensions into its own response.
    assert.equal(r.body.extensions?.cost, undefined);
  });
});

describe('inline traces directly', () => {
  test('only a request that asks for ftv1 gets one; an ordinary client never sees it', async () => {
    const q = { query: 'query($id: ID!) { order(id: $id) { id } }', variables: { id: orderId } };
    const plain = await t.http.post('/graphql').set('Authorization', `Bearer ${DEMO_KEYS.SUPPORT}`).send(q);
    assert.equal(plain.status, 200);
    assert.equal(plain.body.extensions.ftv1, undefined);
    const asked = await t.http.post('/graphql').set('Authorization', `Bearer ${DEMO_KEYS.SUPPORT}`).set('apollo-federation-include-trace', 'ftv1').send(q);
    assert.equal(typeof asked.body.extensions.ftv1, 'string');
  });
});

describe('HTTP statuses by media type', () => {
  const refused = '{ auditLog(first: 1) { nodes { id } } }';
  test('application/json (or no Accept): a refusal is 200 with the code in extensions.code', async () => {
    for (const accept of ['', 'application/json', '*/*']) {
      const req = t.http.post('/graphql').set('Authorization', `Bearer ${DEMO_KEYS.SUPPORT}`);
      if (accept) req.set('Accept', accept);
      const r = await req.send({ query: refused });
      assert.equal(r.status, 200, `Accept: ${accept}`);
      assert.match(String(r.headers['content-type']), /^application\/json/);
      assert.equal(r.body.errors[0].extensions.code, 'FORBIDDEN');
    }
    const anonymous = await t.http.post('/graphql').set('Accept', 'application/json').send({ query: refused });
    assert.equal(anonymous.status, 200);
    assert.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED');
  });

  test('application/graphql-response+json: the refusal keeps 403, the missing credential 401', async () => {
    const accept = 'application/graphql-response+json';
    const r = await t.http.post('/graphql').set('Authorization', `Bearer ${DEMO_KEYS.SUPPORT}`).set('Accept', accept).send({ query: refused });
    assert.equal(r.status, 403);
    assert.match(String(r.headers['content-type']), /^application\/graphql-response\+json/);
    assert.equal(r.body.errors[0].extensions.code, 'FORBIDDEN');
    const anonymous = await t.http.post('/graphql').set('Accept', accept).send({ query: refused });
    assert.equal(anonymous.status, 401);
  });
});
