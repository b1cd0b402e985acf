/**
 * Field resolvers that take only their object and the context are called directly, without
 * type-graphql's handler (src/graphql/schema.ts); where the object is not an instance of the type
 * the method declares, type-graphql's handler converts it first, as it always has. Both give the
 * same answer.
 */
import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { appSchema } from '../../src/modules';
import { Order } from '../../src/systems/oms';
import { Role } from '../../src/shared/actor';

const context = (role: Role) => ({ ctx: { actor: { subject: 'direct-resolver-test', role, kind: 'user' } } });

test('Order.customerId: the same masked id for an Order and for a plain object of the same fields', async () => {
  const schema = await appSchema();
  const resolve = (schema.getType('Order') as GraphQLObjectType).getFields().customerId!.resolve!;
  const plain = { id: 'o-1', customerIdRaw: 'cust-123456' };
  const instance = Object.assign(new Order(), plain);
  const info = {} as GraphQLResolveInfo;
  for (const [role, expected] of [
    [Role.SUPPORT, '****3456'],
    [Role.ADMIN, 'cust-123456'],
  ] as const) {
    assert.equal(await resolve(instance, {}, context(role), info), expected, `${role}, an Order`);
    assert.equal(await resolve(plain, {}, context(role), info), expected, `${role}, a plain object (type-graphql converts it)`);
  }
});
