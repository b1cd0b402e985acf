/**
 * `npm run bench:read -- --quick` runs to the end against a real server: every window answers
 * without errors, it prints each figure beside its baselines, and the statements per request do
 * not depend on the size of the result (the benchmark exits 1 otherwise). Speed is not asserted.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, stopTestServer, TestDatabase } from '../support/test-app';

const READ_JS = path.resolve(__dirname, '..', '..', 'bench', 'read.js');

let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db?.drop();
  await stopTestServer();
});

test('the read benchmark runs in its short mode and prints every figure beside its baselines', async () => {
  const server = new URL(db.url);
  server.pathname = '';
  const out: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [READ_JS, '--quick'], { env: { ...process.env, BENCH_DATABASE_URL: server.toString(), BENCH_ORDERS: '8' }, stdio: 'pipe' });
    child.stdout.on('data', (d: Buffer) => out.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => out.push(d.toString()));
    child.on('exit', (c) => resolve(c));
  });
  const text = out.join('');
  assert.equal(code, 0, text);
  assert.doesNotMatch(text, /FAILED/, text);
  for (const figure of [
    /ceiling: \{ __typename \}.* \d+ req\/s +p50 +[\d.]+ ms +p99 +[\d.]+ ms/,
    /one-order support query .* = [\d.]+ of the ceiling \(target ≥ 0\.35: (met|NOT met)\)/,
    /floor: its rows through mysql2 \(9 statements\) .* service at [\d.]+ of it/,
    /analyst orders\(first: 100\): \d+ orders.* = [\d.]+× the floor's p50 \(target ≤ 2: (met|NOT met)\)/,
    /ceiling: \{ __typename \}, same clients .* p50 +[\d.]+ ms/,
    /the answer alone: JSON\.stringify \/ JSON\.parse +[\d.]+ ms \/ [\d.]+ ms/,
    /fixed costs: request \+ rows \+ JSON .* [\d.]+ ms of the [\d.]+ ms the target allows; the service's CPU beyond a request's, the rows' and the stringify: -?[\d.]+ ms/,
  ]) {
    assert.match(text, figure);
  }
  const statements = /one order: +(\d+) \(\d+ rows\), (\d+) \(\d+ rows\)\n +analyst: +(\d+) \(first: 1\), (\d+) \(first: 10\), (\d+) \(first: 100\)/.exec(text);
  assert.ok(statements, text);
  const [oneSmall, oneBig, a1, a10, a100] = statements.slice(1).map(Number);
  assert.equal(oneSmall, oneBig);
  assert.ok(a1 === a10 && a10 === a100, `${a1} ${a10} ${a100}`);
  assert.match(text, /independent of result size: met/);
});
