import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { ensureDatabaseServer } from '../../scripts/lib/local-server';

test('an explicit DATABASE_URL is returned unmanaged', async () => {
  const server = await ensureDatabaseServer('mysql://app:secret@db.example:3306/moneygraph');
  assert.equal(server.url, 'mysql://app:secret@db.example:3306/moneygraph');
  assert.equal(server.managed, false);
  await server.stop();
});

test('without a URL a managed MariaDB is started, usable, and fully removed on stop', { timeout: 90_000 }, async () => {
  const parent = mkdtempSync(path.join(tmpdir(), 'local-server-test-'));
  const dataDir = path.join(parent, 'data');
  const server = await ensureDatabaseServer(undefined, { dataDir, fresh: true });
  try {
    assert.equal(server.managed, true);
    assert.match(server.url, /^mariadb:\/\/root@127\.0\.0\.1:\d+$/);
    assert.ok(existsSync(path.join(dataDir, 'mysql')), 'data dir was initialised');

    const conn = await createConnection(server.url);
    try {
      const [rows] = await conn.query<any[]>('SELECT VERSION() AS v');
      assert.match(String(rows[0].v), /MariaDB/);
      await conn.query('CREATE DATABASE moneygraph_test');
      const [dbs] = await conn.query<any[]>("SHOW DATABASES LIKE 'moneygraph_test'");
      assert.equal(dbs.length, 1);
    } finally {
      await conn.end();
    }
  } finally {
    await server.stop();
  }

  await assert.rejects(createConnection({ uri: server.url, connectTimeout: 2000 }), { code: 'ECONNREFUSED' });
  assert.equal(existsSync(dataDir), false, 'fresh data dir is removed on stop');
  await server.stop(); // idempotent
  rmSync(parent, { recursive: true, force: true });
});
