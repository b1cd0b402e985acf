/**
 * `npm run soak [-- --scenarios N] [--seed S] [--concurrency C] [--every R]`: a long fault campaign,
 * at least 10,000 scenarios by default, printing its figures every R rounds and at the end.
 * Exits 1 on any violation (each listed with the command that replays its round).
 */
import path from 'node:path';
import { loadConfig } from '../src/config';
import { ensureDatabaseServer } from './lib/local-server';
import { report, runCampaign } from '../test/campaign/campaign';
import { int, parseArgs } from './campaign';

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const seed = a.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : int(a.seed, 'seed');
  const concurrency = int(a.concurrency, 'concurrency', 8);
  const scenarios = int(a.scenarios, 'scenarios', 10_000);
  const rounds = Math.ceil(scenarios / concurrency);
  const every = int(a.every, 'every', 25);
  const outDir = path.resolve(a.out ?? path.join(__dirname, '..', '..', '.data', 'soak', `${seed}-${Date.now()}`));
  const server = await ensureDatabaseServer(loadConfig().databaseUrl, { log: (m) => console.log(m) });
  console.log(`soak seed ${seed}: ${rounds} rounds × ${concurrency} scenarios; figures every ${every} rounds; output ${outDir}`);
  try {
    const s = await runCampaign({ seed, rounds, concurrency, serverUrl: server.url, outDir, reportEvery: every, log: (l) => console.log(l) });
    console.log(report(s));
    process.exitCode = s.violations.length ? 1 : 0;
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(2);
});
