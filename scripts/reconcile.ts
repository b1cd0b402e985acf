/**
 * `npm run reconcile -- --from <iso> --to <iso> [--currency EUR] [--format json|csv] [--dry-run]`
 *
 * The reconciliation checkpoint for cron: reconciles the service's database (DATABASE_URL; it starts
 * nothing of its own), persists the run (or, with --dry-run, only computes the report and the ERP
 * writeback validation), prints JSON or CSV on stdout — variance rows streamed page by page — and a
 * progress bar on stderr when that is a terminal.
 *
 * Exit codes: 0 clean (positive confirmation), 1 variance, 2 no-events alarm, 3 bad input or
 * configuration, 4 unexpected failure.
 */
import { EXIT as CLI_EXIT, printHelp, UsageError } from './lib/cli';
import { csvLine } from './lib/csv';
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { ConfigError, loadConfig } from '../src/config';
import { RequestContext } from '../src/db/context';
import { createAppDataSource, createServices } from '../src/modules';
import { createLogger } from '../src/logger';
import { Role } from '../src/shared/actor';
import { systemClock } from '../src/shared/clock';
import { formatMinor, isCurrencyCode } from '../src/shared/money';
import { listLiveVariances, listRunVariances, listWritebackDiffs, reconcile, ReconciliationResult, VarianceRow, WritebackDiff } from '../src/reconciliation/reconciliation.service';

const USAGE = 'usage: npm run reconcile -- --from <ISO time> --to <ISO time> [--currency EUR] [--format json|csv] [--dry-run]';
const PAGE = 1000;
export const EXIT = { ...CLI_EXIT, CLEAN: CLI_EXIT.OK } as const;

export function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      currency: { type: 'string' },
      format: { type: 'string', default: 'json' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new UsageError(USAGE);
  const time = (name: 'from' | 'to') => {
    const v = values[name];
    if (!v) throw new UsageError(`--${name} is required: periods are bounded\n${USAGE}`);
    const t = new Date(v);
    if (Number.isNaN(t.getTime())) throw new UsageError(`--${name} must be an ISO-8601 time, e.g. 2026-01-01T00:00:00Z`);
    return t;
  };
  const format = values.format;
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format must be json or csv\n${USAGE}`);
  const currency = values.currency?.toUpperCase() ?? null;
  if (currency !== null && !isCurrencyCode(currency)) throw new UsageError(`--currency ${values.currency} is not a supported ISO-4217 code`);
  return { from: time('from'), to: time('to'), currency, format: format as 'json' | 'csv', dryRun: Boolean(values['dry-run']) };
}

const money = (minor: bigint | null, currency: string | null) => (minor === null || !currency ? null : formatMinor(minor, currency));

function runJson(r: ReconciliationResult) {
  return {
    id: r.id,
    from: r.period.from.toISOString(),
    to: r.period.to.toISOString(),
    currency: r.currency,
    status: r.status,
    confirmation: r.confirmation,
    totals: r.totals.map((t) => ({
      currency: t.currency,
      pspTotal: money(t.pspTotalMinor, t.currency),
      erpTotal: money(t.erpTotalMinor, t.currency),
      netVariance: money(t.varianceMinor, t.currency),
      refunds: t.refundCount,
    })),
    events: r.events,
    varianceCount: r.varianceCount,
    variancesByKind: r.varianceByKind,
    requestedBy: r.requestedBy,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt.toISOString(),
  };
}

const VARIANCE_COLUMNS = [
  'refundId',
  'kind',
  'recordIn',
  'orderId',
  'currency',
  'pspAmount',
  'erpAmount',
  'amountDelta',
  'pspStatus',
  'erpStatus',
  'erpDocumentIds',
  'firstDetectedAt',
  'ageSeconds',
];
function varianceRecord(v: VarianceRow, now: Date): (string | number | null)[] {
  return [
    v.refundRef,
    v.kind,
    v.recordIn,
    v.orderId,
    v.currency,
    money(v.pspAmountMinor, v.currency),
    money(v.erpAmountMinor, v.currency),
    money(v.deltaMinor, v.currency),
    v.pspStatus,
    v.erpStatus,
    v.erpDocumentIds.join(' '),
    v.firstDetectedAt.toISOString(),
    Math.max(0, Math.floor((now.getTime() - v.firstDetectedAt.getTime()) / 1000)),
  ];
}
const DIFF_COLUMNS = [
  'externalRef',
  'outcome',
  'expectedOrderId',
  'expectedAmount',
  'expectedCurrency',
  'actualDocumentIds',
  'actualOrderId',
  'actualAmount',
  'actualCurrency',
  'actualStatus',
];
function diffRecord(d: WritebackDiff): (string | null)[] {
  return [
    d.externalRef,
    d.outcome,
    d.expected?.orderId ?? null,
    d.expected ? money(d.expected.amountMinor, d.expected.currency) : null,
    d.expected?.currency ?? null,
    d.actual.documentIds.join(' '),
    d.actual.orderId,
    money(d.actual.amountMinor, d.actual.currency),
    d.actual.currency,
    d.actual.status,
  ];
}

/** Writes respecting back-pressure, so a slow reader never makes the output pile up in memory. */
function out(s: string): Promise<void> {
  return new Promise((resolve) => (process.stdout.write(s) ? resolve() : process.stdout.once('drain', resolve)));
}

/** Streams every page of `fetch` as JSON array elements or CSV lines. */
async function streamRows<T extends { key: string }>(fetch: (after: string | null) => Promise<T[]>, write: (row: T, first: boolean) => Promise<void>): Promise<void> {
  let after: string | null = null;
  let first = true;
  for (;;) {
    const rows = await fetch(after);
    for (const r of rows.slice(0, PAGE)) {
      await write(r, first);
      first = false;
    }
    if (rows.length <= PAGE) return;
    after = rows[PAGE - 1]!.key; // rows.length > PAGE
  }
}

async function main(): Promise<number> {
  // A reader that stops early (`| head`) is not a failure of the reconciliation.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? process.exit(EXIT.FAILURE) : undefined));
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) return printHelp(USAGE);
  const args = parseCli(process.argv.slice(2));
  const config = loadConfig();
  if (!config.databaseUrl) {
    throw new UsageError("DATABASE_URL is required: the command reconciles the service's database and starts no database of its own");
  }
  const dataSource = createAppDataSource(config.databaseUrl, { poolSize: 2, extra: { connectionLimit: 2 } });
  await dataSource.initialize();
  try {
    if (await dataSource.showMigrations()) throw new UsageError('The database has pending migrations: run `npm run migration:run` (or start the service) first');
    const app = createServices({ config, dataSource, logger: createLogger(process.env.LOG_LEVEL ?? 'warn'), clock: systemClock });
    const ctx = new RequestContext(app, { subject: `cli:${userInfo().username}`.slice(0, 128), role: Role.SYSTEM, kind: 'system' });

    const bar = process.stderr.isTTY ? new SingleBar({ format: 'reconciling {bar} {percentage}% | {value}/{total} | {stage}', stream: process.stderr, hideCursor: true }) : null;
    bar?.start(1, 0, { stage: 'starting' });
    let steps = 1;
    const r = await reconcile(ctx, { from: args.from, to: args.to, currencyCode: args.currency, dryRun: args.dryRun }, (done, total, stage) => {
      steps = Math.max(1, total);
      bar?.setTotal(steps);
      bar?.update(done, { stage });
    });
    // Finished: the bar says so (a dry run reports no steps of its own).
    bar?.setTotal(steps);
    bar?.update(steps, { stage: 'done' });
    bar?.stop();
    if (r.userErrors.length) throw new UsageError(r.userErrors.map((e) => `${e.code}: ${e.message}`).join('\n'));
    const result = (r.run ?? r.report)!;
    const now = ctx.now;
    const variances = (after: string | null) =>
      (r.run ? listRunVariances(ctx, r.run.id!, PAGE, after) : listLiveVariances(ctx, result.period, args.currency, PAGE, after)).then((rows) =>
        rows.map((v) => ({ key: v.refundRef, v })),
      );
    const diffs = (after: string | null) => listWritebackDiffs(ctx, result.period, args.currency, PAGE, after).then((rows) => rows.map((d) => ({ key: d.externalRef, d })));

    if (args.format === 'json') {
      await out(`{"dryRun":${args.dryRun},"run":${JSON.stringify(runJson(result))},`);
      if (r.writeback) {
        const { period: _p, ...w } = r.writeback;
        await out(`"writebackValidation":${JSON.stringify(w)},"writebackDiffs":[`);
        await streamRows(diffs, (x, first) => out(`${first ? '' : ','}\n${JSON.stringify(Object.fromEntries(DIFF_COLUMNS.map((c, i) => [c, diffRecord(x.d)[i]])))}`));
        await out('],');
      }
      await out('"variances":[');
      await streamRows(variances, (x, first) =>
        out(`${first ? '' : ','}\n${JSON.stringify(Object.fromEntries(VARIANCE_COLUMNS.map((c, i) => [c, varianceRecord(x.v, now)[i]])))}`),
      );
      await out(']}\n');
    } else if (args.dryRun) {
      await out(csvLine(DIFF_COLUMNS));
      await streamRows(diffs, (x) => out(csvLine(diffRecord(x.d))));
    } else {
      await out(csvLine(VARIANCE_COLUMNS));
      await streamRows(variances, (x) => out(csvLine(varianceRecord(x.v, now))));
    }
    if (process.stderr.isTTY || args.format === 'csv') process.stderr.write(`${result.status}: ${result.confirmation}\n`);
    const writebackDiffers = r.writeback ? r.writeback.differing + r.writeback.unexpected > 0 : false;
    return result.status === 'CLEAN' ? (writebackDiffers ? EXIT.VARIANCE : EXIT.CLEAN) : EXIT[result.status];
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      if (err instanceof UsageError || err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(EXIT.USAGE);
      }
      if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
        process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
        process.exit(EXIT.USAGE);
      }
      process.stderr.write(`reconcile failed: ${(err as Error).message}\n`);
      process.exit(EXIT.FAILURE);
    },
  );
}
