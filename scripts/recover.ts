/**
 * `npm run recover -- [--order <id>] [--include-held] [--json]`
 *
 * Drives refunds left REQUESTED or SUBMITTED to their outcome, each with its original
 * merchantTransactionId, against the service's database (DATABASE_URL) and the configured PSP. It
 * starts nothing of its own. Orders on hold are skipped unless --include-held or --order is given.
 * Prints one line per refund (before → after); exit code 0 when every one reached an outcome,
 * 1 when some are still in flight (the PSP could not be asked), 3 for bad input or configuration.
 */
import { SingleBar } from 'cli-progress';
import { EXIT, printHelp } from './lib/cli';
import { IN_FLIGHT_STATUSES, sqlStatusList } from '../src/shared/refund-status';
import 'reflect-metadata';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config';
import { AppServices, RequestContext } from '../src/db/context';
import { createAppDataSource, createServices } from '../src/modules';
import { createLogger } from '../src/logger';
import { writeAudit } from '../src/audit';
import { recoverRefunds } from '../src/refunds/recovery';
import { isInFlight } from '../src/refunds/refund.state';
import { Role } from '../src/shared/actor';
import { systemClock } from '../src/shared/clock';
import { formatMinor } from '../src/shared/money';

const USAGE = 'usage: npm run recover -- [--order <orderId>] [--include-held] [--json]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        order: { type: 'string' },
        'include-held': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return EXIT.USAGE;
  }
  if (values.help) {
    return printHelp(USAGE);
  }
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError("Set DATABASE_URL to the service's database");
  if (!config.upstream.pspBaseUrl) throw new ConfigError('Set PSP_BASE_URL: recovery asks the PSP');
  const dataSource = createAppDataSource(config.databaseUrl);
  await dataSource.initialize();
  try {
    const app: AppServices = createServices({ config, dataSource, logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel), clock: systemClock });
    const ctx = new RequestContext(app, { subject: `cli:${userInfo().username}`, role: Role.ADMIN, kind: 'user' });
    const before = new Map<string, string>(
      (
        await dataSource.query(
          `SELECT id, status FROM refund WHERE status IN (${sqlStatusList(IN_FLIGHT_STATUSES)})${values.order ? ' AND order_id = ?' : ''}`,
          values.order ? [values.order] : [],
        )
      ).map((r: { id: string; status: string }) => [r.id, r.status]),
    );
    // A progress bar on a terminal (stderr): the refunds found in flight, tried one by one.
    const bar = process.stderr.isTTY ? new SingleBar({ format: 'recovering {bar} {percentage}% | {value}/{total} refunds', stream: process.stderr, hideCursor: true }) : null;
    bar?.start(Math.max(1, before.size), 0);
    const recovered = await recoverRefunds(ctx, {
      orderId: values.order,
      automated: !values.order && !values['include-held'],
      max: Number.MAX_SAFE_INTEGER,
      onProgress: (tried) => bar?.update(Math.min(tried, Math.max(1, before.size))),
    });
    bar?.update(Math.max(1, before.size));
    bar?.stop();
    await writeAudit(ctx, {
      operation: 'recoverRefunds',
      args: { orderId: values.order ?? null, via: 'cli' },
      orderId: values.order ?? null,
      outcome: `RECOVERED:${recovered.length}`,
    });
    const rows = recovered.map((r) => ({
      refundId: r.id,
      orderId: r.orderId,
      before: before.get(r.id) ?? '?',
      after: r.status,
      amount: `${formatMinor(r.amountMinor, r.currency)} ${r.currency}`,
      merchantTransactionId: r.merchantTransactionId,
      pspRefundId: r.pspRefundId,
      attempts: r.attempts,
      errorCode: r.errorCode,
    }));
    const open = rows.filter((r) => isInFlight(r.after));
    if (values.json) console.log(JSON.stringify({ recovered: rows, stillInFlight: open.length, skipped: before.size - rows.length }, null, 2));
    else {
      for (const r of rows)
        console.log(
          `${r.refundId}  order ${r.orderId}  ${r.amount}  ${r.before} → ${r.after}${r.errorCode ? ` (${r.errorCode})` : ''}  key ${r.merchantTransactionId}  attempts ${r.attempts}`,
        );
      console.log(`${rows.length} refund(s) recovered, ${open.length} still in flight, ${before.size - rows.length} skipped (owned by a live request, or on hold).`);
    }
    return open.length ? EXIT.VARIANCE : EXIT.OK;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(err instanceof ConfigError ? EXIT.USAGE : EXIT.FAILURE);
  },
);
