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

function start(extra: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [MAIN_JS], { env: { PATH: process.env.PATH, ...extra }, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return r.stderr;
}

test('a DATABASE_URL that is not a URL, or not MySQL/MariaDB, is named and explained; its password is never printed', () => {
  assert.match(start({ DATABASE_URL: 'notaurl' }), /DATABASE_URL: is not a URL; expected mysql:\/\/user:password@host:3306\/moneygraph/);
  const pg = start({ DATABASE_URL: 'postgres://admin:s3cret-pw@db.example:5432/money' });
  assert.match(pg, /DATABASE_URL: uses "postgres:\/\/", but moneygraph needs MariaDB or MySQL/);
  assert.doesNotMatch(pg, /s3cret-pw/);
  assert.match(start({ DATABASE_URL: 'mysql://root@127.0.0.1:3306' }), /DATABASE_URL: names no database/);
});

test('an unreachable database is reported as DATABASE_URL with the host and the reason, in one line', () => {
  const err = start({ DATABASE_URL: 'mysql://root:pw-not-shown@127.0.0.1:1/moneygraph' });
  assert.match(err, /^DATABASE_URL: cannot connect to the database at 127\.0\.0\.1:1\/moneygraph: ECONNREFUSED/);
  assert.doesNotMatch(err, /pw-not-shown/);
});

test('in production, missing upstream URLs refuse the start and name each variable', () => {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    API_KEYS: 'prod-key-0123456789=ADMIN:ops',
    DATABASE_URL: 'mysql://root@127.0.0.1:1/moneygraph',
    PSP_BASE_URL: 'http://127.0.0.1:9/',
  };
  for (const s of ['OMS', 'PSP', 'ERP']) env[`WEBHOOK_SECRET_${s}`] = `prod-${s.toLowerCase()}-secret-0123456789`;
  assert.match(start(env), /^OMS_BASE_URL, ERP_BASE_URL are not set: refunds, syncOrder and the outbox cannot reach OMS, ERP/);
});
