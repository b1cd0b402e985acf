/** `npm run schema:print`: writes the subgraph SDL (with @key directives) to schema/schema.graphql. */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSchemaSdl } from '../src/graphql/print-schema';
import { appSchema } from '../src/modules';

async function main(): Promise<void> {
  const file = path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql');
  writeFileSync(file, printSchemaSdl(await appSchema()));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
