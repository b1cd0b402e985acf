/**
 * `npm run demo`: a private MariaDB, the three upstream simulators, moneygraph wired to them,
 * and demo data created through the simulators. Prints the URLs and keeps running until Ctrl-C.
 */
import 'reflect-metadata';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { startService, stopOnSignals } from '../src/server';
import { startDevDatabase } from './lib/dev-database';
import { startSimulators } from '../src/simulators';
import { closeDemoSettlement, seedDemo, type DemoSummary } from './demo-data';
import { drainOutbox } from '../src/outbox';
import { seedStripeDemo, startDemoStripe } from './demo-stripe';
import { seedVtexDemo, startDemoVtex } from './demo-vtex';

async function main(): Promise<void> {
  const stripe = await startDemoStripe({ LOG_LEVEL: 'warn', ...process.env });
  const vtex = await startDemoVtex(stripe.env);
  const env = vtex.env;
  const base = loadConfig(env);
  const sims = await startSimulators({ secrets: base.webhookSecrets, ports: { oms: 4101, psp: 4102, erp: 4103 } }).catch(() => startSimulators({ secrets: base.webhookSecrets }));
  const config = loadConfig({ ...env, OMS_BASE_URL: sims.urls.oms, PSP_BASE_URL: sims.urls.psp, ERP_BASE_URL: sims.urls.erp });
  const db = await startDevDatabase({ dataDir: path.resolve(__dirname, '..', '..', '.data', 'mariadb-demo'), fresh: true, log: (m) => console.log(m) });
  const withDb = { ...config, databaseUrl: db.url, migrateOnStart: true };
  const svc = await startService(withDb).catch(async (err) => {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    console.log(`port ${config.port} is busy; using a free port`);
    return startService(withDb, { port: 0 });
  });
  sims.setServiceUrl(svc.url);
  stripe.setServiceUrl(svc.url);
  vtex.setServiceUrl(svc.url);
  process.stdout.write('creating demo data through the simulators… ');
  // With OMS=vtex the store's orders are VTEX's: the in-house OMS history is not created.
  const vtexOrders = vtex.sim ? await seedVtexDemo(vtex.sim) : null;
  const summary = vtexOrders ? null : await seedDemo(sims, 60, (n) => n % 10 === 0 && process.stdout.write(`${n} `));
  await drainOutbox(svc.app.services);
  const stripeOrders = [];
  for (const s of stripe.instances) stripeOrders.push({ id: s.id, url: s.served.url, ...(await seedStripeDemo(sims, s.sim)) });
  await drainOutbox(svc.app.services);
  if (summary) await closeDemoSettlement(sims);
  await drainOutbox(svc.app.services);
  console.log('done');
  if (vtexOrders && vtex.served) {
    console.log(`  VTEX (simulator ${vtex.served.url}, hook ${svc.url}/webhooks/oms/vtex): orders ${vtexOrders.orders.join(', ')};`);
    console.log(`    returned and refunded by VTEX: ${vtexOrders.refundedByVtex}; returned, not refunded by VTEX (an exception, not paid): ${vtexOrders.forgottenByVtex}`);
  }
  for (const s of stripeOrders) {
    console.log(`  Stripe (${s.id}, simulator ${s.url}): orders ${s.orders.join(', ')}; returned and refunded at Stripe: ${s.returnedOrder}`);
  }
  console.log(`
moneygraph is running.

  GraphQL (IDE in a browser):  ${svc.url}/graphql
  Ops page for support and finance (sign in with a demo key):  ${svc.url}/ops
  Health / readiness / metrics: ${svc.url}/healthz  ${svc.url}/readyz  ${svc.url}/metrics
  Simulators:  OMS ${sims.urls.oms}   PSP ${sims.urls.psp}   ERP ${sims.urls.erp}
  Database (for npm run reconcile / recover):  DATABASE_URL=${db.url}

  Demo credentials (header "Authorization: Bearer <key>"):
    demo-support-key  demo-analyst-key  demo-finance-key  demo-admin-key

${summary ? inHouseNotes(svc.url, summary) : vtexNotes(svc.url, vtexOrders!.forgottenByVtex)}
Ctrl-C stops everything.`);
  stopOnSignals(svc, async () => {
    await db.stop();
    await sims.close();
    await stripe.close();
    await vtex.close();
  });
}

function inHouseNotes(url: string, summary: DemoSummary): string {
  return `  Try:  curl -s ${url}/graphql -H 'Authorization: Bearer demo-support-key' -H 'Content-Type: application/json' \\
          -d '{"query":"{ order(id: \\"${summary.twoReturnsOrder}\\") { status invoices { id kind amount { amount } } refunds { status amount { amount } } moneyState { captured { amount } refunded { amount } pendingRefund { amount } } } }"}'

  Orders of note: two returns ${summary.twoReturnsOrder}, disputed ${summary.disputedOrder}, authorized only ${summary.authorizedOnlyOrder},
  partial captures ${summary.partialCaptureOrders.slice(0, 3).join(', ')}…, OMS-rejected ${summary.rejectedOrder},
  captured without an order: payment ${summary.orphanPayment}.`;
}

function vtexNotes(url: string, forgotten: string): string {
  return `  Try:  curl -s ${url}/graphql -H 'Authorization: Bearer demo-support-key' -H 'Content-Type: application/json' \\
          -d '{"query":"{ order(id: \\"${forgotten}\\") { status invoices { id kind amount { amount } } refunds { status origin amount { amount } } invoiceData { omsKeepsCopy inSync } } }"}'

  OMS=vtex: the store's orders come from VTEX; VTEX refunds its return invoices itself and moneygraph reconciles
  (the ops page's exceptions list the return VTEX did not refund).`;
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
