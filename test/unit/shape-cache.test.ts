/**
 * An operation's cost is measured once per parsed document, but never reused across values of the
 * variables it depends on: `first`, and the conditions of `@include`/`@skip`. A variable left out
 * (its default applies) is not the same as one given as null; other variables share the measure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, OperationDefinitionNode, parse } from 'graphql';
import { checkOperation } from '../../src/graphql/limits';
import { DEFAULT_ROLE_LIMITS } from '../../src/graphql/limits.config';

const schema = buildSchema(`type Query { thing(id: ID): Thing, things(first: Int): ThingConnection }
  type ThingConnection { nodes: [Thing] } type Thing { id: ID, friend: Thing }`);

function costOf(query: string) {
  const doc = parse(query);
  const op = doc.definitions[0] as OperationDefinitionNode;
  return (variables: Record<string, unknown>) => checkOperation(schema, doc, op, variables, DEFAULT_ROLE_LIMITS.ADMIN, 100).cost;
}

test('the same document costs what its `first` asks for, each time', () => {
  const cost = costOf('query($n: Int, $id: ID) { things(first: $n) { nodes { id } } thing(id: $id) { id } }');
  // things: 1 + first × (nodes: 1); thing: 1
  assert.equal(cost({ n: 7, id: 'a' }), 1 + 7 + 1);
  assert.equal(cost({ n: 50, id: 'a' }), 1 + 50 + 1);
  assert.equal(cost({ n: 7, id: 'b' }), 1 + 7 + 1);
  // Left out: the default page of 20; a `first` over the cap is refused every time, never cached.
  assert.equal(cost({ id: 'a' }), 1 + 20 + 1);
  assert.throws(() => cost({ n: 101 }), /at most 100/);
  assert.throws(() => cost({ n: 101 }), /at most 100/);
  assert.equal(cost({ n: 3 }), 1 + 3 + 1);
});

test('a variable with a default is costed with it when left out, and as given when null', () => {
  const cost = costOf('query($n: Int = 5) { things(first: $n) { nodes { id } } }');
  assert.equal(cost({}), 1 + 5);
  assert.equal(cost({ n: null }), 1 + 20);
  assert.equal(cost({}), 1 + 5);
});

test('@include and @skip conditions are part of what the cost depends on', () => {
  const cost = costOf('query($deep: Boolean!) { thing { id friend @include(if: $deep) { friend { id } } } }');
  assert.equal(cost({ deep: false }), 1);
  assert.equal(cost({ deep: true }), 1 + 1 + 1);
  assert.equal(cost({ deep: false }), 1);
});
