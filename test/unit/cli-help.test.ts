import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { EXIT } from '../../scripts/lib/cli';

const SCRIPTS = path.resolve(__dirname, '..', '..', 'scripts');
const run = (script: string, args: string[]) =>
  spawnSync(process.execPath, [path.join(SCRIPTS, `${script}.js`), ...args], { env: { PATH: process.env.PATH, NODE_ENV: 'development' }, encoding: 'utf8', timeout: 30_000 });

for (const script of ['reconcile', 'recover', 'token', 'campaign', 'soak']) {
  test(`${script} --help prints its usage on stdout and exits 0`, () => {
    const r = run(script, ['--help']);
    assert.equal(r.status, EXIT.OK, r.stderr);
    assert.match(r.stdout, new RegExp(`^usage: npm run (-s )?${script}`));
    assert.equal(r.stderr, '');
  });

  test(`${script} with an unknown option says so on stderr and exits ${EXIT.USAGE} (usage)`, () => {
    const r = run(script, ['--no-such-option']);
    assert.equal(r.status, EXIT.USAGE, r.stderr);
    assert.match(r.stderr, /no-such-option/);
    assert.equal(r.stdout, '');
  });
}
