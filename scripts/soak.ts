/**
 * `npm run soak [-- --scenarios N] [--seed S] [--concurrency C] [--every R] [--psp P]`: a long fault campaign,
 * at least 10,000 scenarios by default, printing its figures every R rounds and at the end.
 * Exits 1 on any violation (each listed with the command that replays its round).
 */
import path from 'node:path';
import { loadConfig } from '../src/config';
import { ensureDatabaseServer } from './lib/local-server';
import { report, runCampaign } from '../test/campaign/campaign';
import { runVtexCampaign } from '../test/campaign/vtex-campaign';
import { printHelp, UsageError } from './lib/cli';
import { int, omsOf, parseArgs, pspOf, runCli } from './campaign';

const USAGE = `usage: npm run soak -- [--scenarios N] [--seed S] [--concurrency C] [--every R] [--psp inhouse|stripe] [--oms inhouse|vtex] [--out DIR]

A long fault campaign: at least N scenarios (default 10,000) in rounds of C concurrent ones
(default 8), a random seed unless given, printing its figures every R rounds (default 25) and at
the end. --psp stripe runs it through the Stripe adapter and simulator (default: the in-house
PSP); --oms vtex soaks the VTEX campaign (OMS=vtex). Evidence goes to DIR (default .data/soak/). A MariaDB is started unless DATABASE_URL points
at one.

exit codes: 0 no violation, 1 a violation was found (each listed with the command that replays its
round), 2 the soak could not run, 3 bad arguments`;

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), ['scenarios', 'seed', 'concurrency', 'every', 'psp', 'oms', 'out']);
  const oms = omsOf(a.oms);
  if (a.help) return void (process.exitCode = printHelp(USAGE));
  const seed = a.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : int(a.seed, 'seed');
  const concurrency = int(a.concurrency, 'concurrency', 8);
  const scenarios = int(a.scenarios, 'scenarios', 10_000);
  const rounds = Math.ceil(scenarios / concurrency);
  const every = int(a.every, 'every', 25);
  const psp = pspOf(a.psp);
  if (oms === 'vtex' && psp !== 'inhouse') throw new UsageError('--oms vtex runs with the in-house PSP (moneygraph moves no money for VTEX orders); leave --psp out');
  const outDir = path.resolve(a.out ?? path.join(__dirname, '..', '..', '.data', 'soak', `${seed}-${Date.now()}`));
  const server = await ensureDatabaseServer(loadConfig().databaseUrl, { log: (m) => console.log(m) });
  console.log(`soak${oms === 'vtex' ? ' (OMS=vtex)' : ''} seed ${seed} psp ${psp}: ${rounds} rounds × ${concurrency} scenarios; figures every ${every} rounds; output ${outDir}`);
  try {
    const options = { seed, rounds, concurrency, serverUrl: server.url, outDir, reportEvery: every, log: (l: string) => console.log(l) };
    const s = oms === 'vtex' ? await runVtexCampaign(options) : await runCampaign({ ...options, psp });
    console.log(report(s));
    process.exitCode = s.violations.length ? 1 : 0;
  } finally {
    await server.stop();
  }
}

runCli(USAGE, main);
