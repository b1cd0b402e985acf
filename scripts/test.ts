/**
 * `npm test`: one private MariaDB for the whole run (unless DATABASE_URL points at one), then
 * Node's test runner over every compiled test file; each file creates its own database in it.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { ensureDatabaseServer } from './lib/local-server';

function findTests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return findTests(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const root = path.resolve(__dirname, '..', 'test');
  const filters = process.argv.slice(2);
  const files = findTests(root)
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort();
  if (files.length === 0) throw new Error(`no test files match ${filters.join(' ')}`);
  const server = await ensureDatabaseServer(config.databaseUrl, { log: (m) => console.log(m) });
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', `--test-concurrency=${process.env.MG_TEST_CONCURRENCY ?? 2}`, ...files], {
      stdio: 'inherit',
      env: { ...process.env, MG_TEST_SERVER_URL: server.url },
    });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
  });
  await server.stop();
  process.exit(code);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
