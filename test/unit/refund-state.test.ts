import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RefundOrigin, RefundStatus } from '../../src/refunds/entities/refund.entity';
import { IN_FLIGHT_SQL } from '../../src/refunds/refund.store';
import {
  IllegalRefundTransition,
  initialStatus,
  IN_FLIGHT_STATUSES,
  isInFlight,
  nextStatus,
  RefundEvent,
  statusAfter,
  statusesLeftBy,
  transition,
} from '../../src/refunds/refund.state';

const { REQUESTED, SUBMITTED, SUCCEEDED, FAILED } = RefundStatus;
const EVENTS: RefundEvent[] = ['SUBMIT', 'SUCCEED', 'FAIL', 'RECORD_SUCCEED', 'LATE_FAIL', 'REVERSE'];

test('transition gives what the table gives, and throws where the table has no transition', () => {
  for (const from of Object.values(RefundStatus)) {
    for (const ev of EVENTS) {
      const to = nextStatus(from, ev);
      if (to) assert.equal(transition(from, ev), to, `${from} + ${ev}`);
      else assert.throws(() => transition(from, ev), IllegalRefundTransition, `${from} + ${ev}`);
    }
  }
});

test('SUBMIT leaves exactly the in-flight statuses, always for SUBMITTED', () => {
  assert.deepEqual(statusesLeftBy('SUBMIT'), [REQUESTED, SUBMITTED]);
  assert.deepEqual(statusesLeftBy('SUBMIT'), [...IN_FLIGHT_STATUSES]);
  assert.equal(statusAfter('SUBMIT'), SUBMITTED);
  // Out of flight the target depends on where the refund starts (none for SUCCEEDED + RECORD_SUCCEED).
  assert.equal(statusAfter('LATE_FAIL'), FAILED);
});

test('in flight: REQUESTED and SUBMITTED, in code and in SQL', () => {
  assert.deepEqual(Object.values(RefundStatus).filter(isInFlight), [REQUESTED, SUBMITTED]);
  assert.equal(isInFlight(SUCCEEDED), false);
  assert.equal(isInFlight(FAILED), false);
  assert.equal(IN_FLIGHT_SQL, "'REQUESTED', 'SUBMITTED'");
});

test('ours start REQUESTED; a refund seen at the PSP first starts in flight, SUBMITTED', () => {
  assert.equal(initialStatus(RefundOrigin.MONEYGRAPH), REQUESTED);
  assert.equal(initialStatus(RefundOrigin.PSP), SUBMITTED);
});
