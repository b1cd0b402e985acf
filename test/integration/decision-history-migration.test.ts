/**
 * The decision-history migration copies the decisions the audit log already recorded (who, role,
 * when, decision, note), and nothing it refused.
 */
import 'reflect-metadata';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { createTestDatabase, migratedDataSource, stopTestServer, TestDatabase } from '../support/test-app';

let db: TestDatabase;
let ds: DataSource;
before(async () => {
  db = await createTestDatabase();
  ds = await migratedDataSource(db.url);
});
after(async () => {
  await ds?.destroy();
  await db?.drop();
  await stopTestServer();
});

const hasHistory = async () =>
  (await ds.query("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'money_exception_decision'"))[0].n > 0;

test('decisions taken before the history existed are copied from the audit log', async () => {
  while (await hasHistory()) await ds.undoLastMigration({ transaction: 'each' });
  const audit = (args: unknown, outcome: string, at: string) =>
    ds.query(
      "INSERT INTO audit_log (subject, role, operation, arguments, order_id, request_id, outcome, occurred_at) VALUES ('finance-demo', 'FINANCE', 'decideException', ?, 'ord-1', 'req', ?, ?)",
      [JSON.stringify(args), outcome, at],
    );
  await audit({ exceptionId: 'exc_a', decision: 'HOLD_AND_ESCALATE', note: 'Held: «заказ» 🙂' }, 'DECIDED:HOLD_AND_ESCALATE', '2026-11-01 10:00:00.123');
  await audit({ exceptionId: 'exc_a', decision: 'CLOSE', note: 'no' }, 'REJECTED:FORBIDDEN', '2026-11-01 10:01:00.000');
  await ds.runMigrations({ transaction: 'each' });
  const rows = await ds.query('SELECT exception_id, decision, decided_by, role, decided_at, note, previous_status, previous_decision, status FROM money_exception_decision');
  assert.deepEqual(
    rows.map((r: any) => ({ ...r, decided_at: new Date(r.decided_at).toISOString() })),
    [
      {
        exception_id: 'exc_a',
        decision: 'HOLD_AND_ESCALATE',
        decided_by: 'finance-demo',
        role: 'FINANCE',
        decided_at: '2026-11-01T10:00:00.123Z',
        note: 'Held: «заказ» 🙂',
        previous_status: null,
        previous_decision: null,
        status: null,
      },
    ],
  );
});
