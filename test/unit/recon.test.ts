/** The pure parts of exceptions and reconciliation: the decision table, windows, periods, SQL binding, the command's arguments. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import {
  allowedDecisions,
  DECISION_PERMISSION,
  decisionRejection,
  ExceptionDecision as D,
  exceptionWindow,
  KIND_RULES,
  MoneyExceptionKind as K,
  settlementCutoffAfter,
} from '../../src/reconciliation/exception-kinds';
import { checkPeriod } from '../../src/reconciliation/period';
import { bind } from '../../src/reconciliation/sql';
import { hasPermission, Permission } from '../../src/shared/permissions';
import { Role } from '../../src/shared/actor';
import { BusinessError } from '../../src/shared/errors';
import { parseCli } from '../../scripts/reconcile';

describe('decision table', () => {
  test('every kind has an owner and at least one decision path besides hold', () => {
    for (const k of Object.values(K)) {
      assert.ok(KIND_RULES[k], k);
      assert.ok(KIND_RULES[k].decisions.includes(D.HOLD_AND_ESCALATE), `${k} can be held`);
      assert.ok(KIND_RULES[k].decisions.length >= 2, k);
    }
  });

  test('decisions that do not fit a kind are refused with a reason', () => {
    const open = (kind: K) => ({ kind, status: 'OPEN', decision: null });
    assert.match(decisionRejection(open(K.AUTHORIZED_ORDER_NOT_CREATED), D.REFUND_AND_CLOSE)!, /does not fit AUTHORIZED_ORDER_NOT_CREATED/);
    assert.match(decisionRejection(open(K.REFUNDED_ORDER_LATER_CREATED), D.REFUND_AND_CLOSE)!, /does not fit/);
    assert.match(decisionRejection(open(K.ERP_DUPLICATE_POSTING), D.REPAIR_ORDER)!, /does not fit/);
    assert.equal(decisionRejection(open(K.CAPTURED_OMS_REJECTED), D.REPAIR_ORDER), null);
    assert.equal(decisionRejection(open(K.SETTLEMENT_LINE_WITHOUT_ORDER), D.CLOSE), null);
    assert.match(decisionRejection(open(K.SETTLEMENT_LINE_WITHOUT_ORDER), D.RELEASE_HOLD)!, /not on hold/);
  });

  test('a held exception accepts only RELEASE_HOLD; a resolved one nothing', () => {
    const held = { kind: K.CAPTURED_OMS_REJECTED, status: 'DECIDED', decision: D.HOLD_AND_ESCALATE };
    assert.deepEqual(allowedDecisions(held), [D.RELEASE_HOLD]);
    assert.match(decisionRejection(held, D.CLOSE)!, /on hold/);
    assert.deepEqual(allowedDecisions({ kind: K.CAPTURED_OMS_REJECTED, status: 'RESOLVED', decision: null }), []);
    assert.deepEqual(allowedDecisions({ kind: K.CAPTURED_OMS_REJECTED, status: 'DECIDED', decision: D.REPAIR_ORDER }), [
      D.REPAIR_ORDER,
      D.REFUND_AND_CLOSE,
      D.HOLD_AND_ESCALATE,
      D.CLOSE,
    ]);
  });

  test('FINANCE takes evidence, hold and release; ADMIN everything; nobody else anything', () => {
    const may = (role: Role, d: D) => hasPermission(role, DECISION_PERMISSION[d]);
    assert.deepEqual(
      Object.values(D).filter((d) => may(Role.FINANCE, d)),
      [D.POST_FINANCE_EVIDENCE, D.HOLD_AND_ESCALATE, D.RELEASE_HOLD],
    );
    assert.deepEqual(
      Object.values(D).filter((d) => may(Role.ADMIN, d)),
      Object.values(D),
    );
    for (const r of [Role.SUPPORT, Role.ANALYST])
      assert.deepEqual(
        Object.values(D).filter((d) => may(r, d)),
        [],
      );
    assert.equal(hasPermission(Role.FINANCE, Permission.DECIDE_ALL), false);
  });
});

describe('time windows', () => {
  const at = (s: string) => new Date(s);
  test('the settlement cut-off is the next cut-off hour strictly after the event', () => {
    assert.equal(settlementCutoffAfter(at('2026-05-23T18:41:12Z'), 22).toISOString(), '2026-05-23T22:00:00.000Z');
    assert.equal(settlementCutoffAfter(at('2026-05-23T22:00:00Z'), 22).toISOString(), '2026-05-24T22:00:00.000Z');
    assert.equal(settlementCutoffAfter(at('2026-05-31T23:30:00Z'), 0).toISOString(), '2026-06-01T00:00:00.000Z');
  });

  test('0–5 min, 5–60 min, before the cut-off, after settlement (a settlement batch means after, at any age)', () => {
    const occurredAt = at('2026-05-23T18:41:12Z');
    const e = { occurredAt, decisionDeadline: settlementCutoffAfter(occurredAt, 22), settlementBatchId: null };
    const plus = (min: number) => new Date(occurredAt.getTime() + min * 60_000);
    assert.equal(exceptionWindow(e, plus(4.9)), 'MINUTES_0_TO_5');
    assert.equal(exceptionWindow(e, plus(5)), 'MINUTES_5_TO_60');
    assert.equal(exceptionWindow(e, plus(59)), 'MINUTES_5_TO_60');
    assert.equal(exceptionWindow(e, plus(60)), 'BEFORE_SETTLEMENT_CUTOFF');
    assert.equal(exceptionWindow(e, at('2026-05-23T22:00:00Z')), 'AFTER_SETTLEMENT');
    assert.equal(exceptionWindow({ ...e, settlementBatchId: 'stl_1' }, plus(1)), 'AFTER_SETTLEMENT');
  });
});

describe('periods', () => {
  const config = loadConfig({ NODE_ENV: 'test', RECONCILIATION_MAX_DAYS: '7' });
  const code = (f: () => unknown) => {
    try {
      f();
      return 'OK';
    } catch (e) {
      assert.ok(e instanceof BusinessError);
      return e.code;
    }
  };
  test('bounded, not inverted, not empty, at most RECONCILIATION_MAX_DAYS', () => {
    const d = (s: string) => new Date(s);
    assert.equal(
      code(() => checkPeriod(config, d('2026-01-01'), d('2026-01-08'))),
      'OK',
    );
    assert.equal(
      code(() => checkPeriod(config, d('2026-01-01'), d('2026-01-08T00:00:01Z'))),
      'PERIOD_TOO_LONG',
    );
    assert.equal(
      code(() => checkPeriod(config, d('2026-01-02'), d('2026-01-01'))),
      'INVALID_PERIOD',
    );
    assert.equal(
      code(() => checkPeriod(config, d('2026-01-01'), d('2026-01-01'))),
      'INVALID_PERIOD',
    );
    assert.equal(
      code(() => checkPeriod(config, null, d('2026-01-01'))),
      'INVALID_PERIOD',
    );
    assert.equal(
      code(() => checkPeriod(config, d('2026-01-01'), undefined)),
      'INVALID_PERIOD',
    );
    assert.equal(
      code(() => checkPeriod(config, d('nonsense'), d('2026-01-01'))),
      'INVALID_PERIOD',
    );
  });
});

describe('SQL with named parameters', () => {
  test('names become positional, lists expand, bigint travels as its digits, time literals are left alone', () => {
    assert.deepEqual(bind(`SELECT :a, :a WHERE x IN (:ids) AND t = '12:30' AND y = :big`, { a: 1, ids: ['p', 'q'], big: 10n ** 15n }), [
      `SELECT ?, ? WHERE x IN (?, ?) AND t = '12:30' AND y = ?`,
      [1, 1, 'p', 'q', '1000000000000000'],
    ]);
    assert.deepEqual(bind('x IN (:none)', { none: [] }), ['x IN (NULL)', []]);
    assert.throws(() => bind('SELECT :missing', {}), /missing SQL parameter :missing/);
  });
});

describe('the reconcile command line', () => {
  test('parses the period, currency, format and dry run; refuses what it cannot use', () => {
    assert.deepEqual(parseCli(['--from', '2026-01-01T00:00:00Z', '--to', '2026-02-01T00:00:00Z', '--currency', 'eur', '--format', 'csv', '--dry-run']), {
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-02-01T00:00:00Z'),
      currency: 'EUR',
      format: 'csv',
      dryRun: true,
    });
    assert.equal(parseCli(['--from', '2026-01-01', '--to', '2026-01-02']).format, 'json');
    assert.throws(() => parseCli(['--to', '2026-01-02']), /--from is required/);
    assert.throws(() => parseCli(['--from', 'yesterday', '--to', '2026-01-02']), /ISO-8601/);
    assert.throws(() => parseCli(['--from', '2026-01-01', '--to', '2026-01-02', '--currency', 'XXX']), /not a supported/);
    assert.throws(() => parseCli(['--from', '2026-01-01', '--to', '2026-01-02', '--format', 'xml']), /json or csv/);
    assert.throws(() => parseCli(['--bogus']));
  });
});
