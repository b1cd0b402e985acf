import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './prng';
import { planRound } from './campaign';

test('the PRNG is a pure function of its seed, and forks are independent of what was drawn before', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const xs = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 100 }, () => b.next()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(
    xs,
    Array.from({ length: 100 }, () => new Rng(43).next()),
  );
  const fresh = new Rng(42).fork('round:7');
  const used = new Rng(42);
  for (let i = 0; i < 1000; i++) used.next();
  assert.equal(used.fork('round:7').next(), fresh.next());
  assert.notEqual(new Rng(42).fork('round:7').next(), new Rng(42).fork('round:8').next());
  const r = new Rng(1);
  for (let i = 0; i < 1000; i++) {
    const n = r.int(3, 5);
    assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
  }
});

test('a round plan is reproducible from (seed, round) alone', () => {
  const plan = (seed: number, round: number) => planRound(new Rng(seed).fork(`round:${round}`), 6);
  assert.deepEqual(plan(1234, 7), plan(1234, 7));
  const plans = Array.from({ length: 50 }, (_, i) => plan(1234, i));
  assert.ok(
    plans.some((p) => p.lives.length > 0),
    'some rounds run service lives with fault points',
  );
  assert.ok(
    plans.some((p) => p.lives.length === 0),
    'some rounds run without',
  );
});
