import 'reflect-metadata';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { printSchemaSdl } from '../../src/graphql/print-schema';
import { appSchema } from '../../src/modules';

test('schema/schema.graphql is the SDL printed from the code (run `npm run schema:print` after a change)', async () => {
  // The repository root, whatever the build's output directory (dist/ or .build/<name>/).
  let root = __dirname;
  while (!existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) root = path.dirname(root);
  const file = path.join(root, 'schema', 'schema.graphql');
  const checkedIn = readFileSync(file, 'utf8');
  const printed = printSchemaSdl(await appSchema());
  assert.equal(checkedIn, printed);
});

test('the printed SDL is a federation subgraph: shared entities carry @key', async () => {
  const sdl = printSchemaSdl(await appSchema());
  for (const type of ['Order', 'Invoice', 'Payment', 'Refund']) {
    assert.match(sdl, new RegExp(`type ${type}\\s+@key\\(fields: "id"\\)`), `${type} has @key`);
  }
  assert.match(sdl, /scalar Decimal/);
  // A value type other subgraphs may define too.
  assert.match(sdl, /type Money\s+@shareable\s*\{[^}]*amount: Decimal![^}]*currencyCode: CurrencyCode!/s);
  assert.match(sdl, /type PageInfo\s+@shareable\s*\{/);
});
