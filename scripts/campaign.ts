/**
 * `npm run campaign -- --seed S [--rounds R] [--round K] [--concurrency C] [--psp P] [--out DIR]`: one seeded
 * fault campaign against the real service (child process), MariaDB and the simulators, or the
 * replay of one round of it. Prints the figures and every violation with its replay command;
 * exits 1 on any violation. A MariaDB is started unless DATABASE_URL points at one.
 */
import path from 'node:path';
import { loadConfig } from '../src/config';
import { EXIT, printHelp, UsageError } from './lib/cli';
import { ensureDatabaseServer } from './lib/local-server';
import { report, runCampaign } from '../test/campaign/campaign';
import type { PspKind } from '../test/campaign/psp-driver';
import { runVtexCampaign } from '../test/campaign/vtex-campaign';

const USAGE = `usage: npm run campaign -- [--seed S] [--rounds R] [--round K] [--concurrency C] [--psp inhouse|stripe] [--oms inhouse|vtex] [--out DIR] [--quiet]

One seeded fault campaign against the real service (a child process), MariaDB and the simulators:
R rounds of C concurrent scenarios (defaults 10 and 6; a random seed unless given), or with
--round K the replay of round K alone. Prints the figures and each violation with the command that
replays its round. --psp stripe takes and refunds every payment through the Stripe adapter and the
Stripe simulator (default: the in-house PSP). --oms vtex runs the service with OMS=vtex against a
VTEX simulator (the VTEX campaign: moneygraph must never move money, and must raise every return
VTEX did not refund). Evidence goes to DIR (default .data/campaign/). A MariaDB is started unless
DATABASE_URL points at one.

exit codes: 0 no violation, 1 a violation was found, 2 the campaign could not run, 3 bad arguments`;

/** --name value or --name=value; a name not in \`allowed\` is a usage error. */
export function parseArgs(argv: string[], allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!; // i < argv.length
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument ${arg}`);
    if (m[1] !== 'help' && !allowed.includes(m[1]!)) throw new UsageError(`unknown option --${m[1]}`);
    const next = argv[i + 1];
    let value = m[2];
    if (value === undefined && next && !next.startsWith('--')) {
      value = next;
      i++;
    }
    out[m[1]!] = value ?? 'true';
  }
  return out;
}

export function int(v: string | undefined, name: string, dflt?: number): number {
  if (v === undefined) {
    if (dflt === undefined) throw new UsageError(`--${name} is required`);
    return dflt;
  }
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(v);
}

/** --psp: the PSP the campaign's payments go through. */
export function pspOf(v: string | undefined): PspKind {
  if (v === undefined || v === 'inhouse' || v === 'stripe') return v ?? 'inhouse';
  throw new UsageError('--psp must be inhouse or stripe');
}

/** --oms: the OMS adapter the campaign runs the service with. */
export function omsOf(v: string | undefined): 'inhouse' | 'vtex' {
  if (v === undefined || v === 'inhouse' || v === 'vtex') return v ?? 'inhouse';
  throw new UsageError('--oms must be inhouse or vtex');
}

/** Runs a CLI's main: usage errors print the message and the usage on stderr and exit EXIT.USAGE. */
export function runCli(usage: string, main: () => Promise<void>): void {
  main().catch((err) => {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${usage}`);
      process.exit(EXIT.USAGE);
    }
    console.error(err instanceof Error ? err.stack : err);
    process.exit(2);
  });
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2), ['seed', 'rounds', 'round', 'concurrency', 'psp', 'oms', 'out', 'quiet']);
  if (a.help) return void (process.exitCode = printHelp(USAGE));
  const seed = a.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : int(a.seed, 'seed');
  const rounds = int(a.rounds, 'rounds', 10);
  const concurrency = int(a.concurrency, 'concurrency', 6);
  const round = a.round === undefined ? undefined : int(a.round, 'round');
  const psp = pspOf(a.psp);
  const oms = omsOf(a.oms);
  if (oms === 'vtex' && psp !== 'inhouse') throw new UsageError('--oms vtex runs with the in-house PSP (moneygraph moves no money for VTEX orders); leave --psp out');
  const outDir = path.resolve(a.out ?? path.join(__dirname, '..', '..', '.data', 'campaign', `${seed}${round !== undefined ? `-round${round}` : ''}-${Date.now()}`));
  const server = await ensureDatabaseServer(loadConfig().databaseUrl, { log: (m) => console.log(m) });
  console.log(
    `campaign${oms === 'vtex' ? ' (OMS=vtex)' : ''} seed ${seed}${round !== undefined ? ` round ${round}` : ` rounds ${rounds}`} concurrency ${concurrency} psp ${psp}; output ${outDir}`,
  );
  try {
    const options = { seed, rounds, concurrency, round, serverUrl: server.url, outDir, verbose: a.quiet === undefined };
    const s = oms === 'vtex' ? await runVtexCampaign(options) : await runCampaign({ ...options, psp });
    console.log(report(s));
    process.exitCode = s.violations.length ? 1 : 0;
  } finally {
    await server.stop();
  }
}

if (require.main === module) runCli(USAGE, main);
