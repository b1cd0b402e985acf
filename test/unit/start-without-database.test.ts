import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const MAIN_JS = path.resolve(__dirname, '..', '..', 'src', 'main.js');

test('npm start without DATABASE_URL stops at once with a clear message, and installs or starts nothing', () => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, NODE_ENV: 'production', API_KEYS: 'prod-key-0123456789=ADMIN:ops' };
  for (const s of ['OMS', 'PSP', 'ERP']) env[`WEBHOOK_SECRET_${s}`] = `prod-${s.toLowerCase()}-secret-0123456789`;
  const r = spawnSync(process.execPath, [MAIN_JS], { env, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^DATABASE_URL is not set: moneygraph needs its MariaDB\/MySQL database/);
  assert.match(r.stderr, /npm run db:start/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.doesNotMatch(r.stdout + r.stderr, /apt-get|mariadbd|initialising|starting/i, 'no database server was installed or started');
});
