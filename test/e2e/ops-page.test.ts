/**
 * The /ops page in real Chromium, offline: sign-in per role, the planted demo exceptions and the
 * age chart, a decision, a refund by double click (one refund at the PSP), the reconciliation CSV,
 * and the outbox retry. MG_SCREENSHOTS=docs writes the documentation's screenshots to docs/img.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { drainOutbox } from '../../src/outbox';
import { closeDemoSettlement, DemoSummary, seedDemo } from '../../scripts/demo-data';
import { launchChromium, offlineContext, OfflineContext } from '../support/browser';
import { paidOrder, returnInvoice } from '../support/drive';
import { pspRefunds } from '../support/refunds';
import { createTestApp, DEMO_KEYS, Role, stopTestServer, TestApp } from '../support/test-app';

let t: TestApp;
let s: DemoSummary;
let browser: Browser;
const contexts: OfflineContext[] = [];

/** Delivers the outbox until nothing is owed (as in the demo-data test). */
async function settle(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await drainOutbox(t.app.services);
    const [{ n }] = await t.dataSource.query("SELECT COUNT(*) AS n FROM outbox_message WHERE status IN ('PENDING', 'RUNNING')");
    if (Number(n) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the outbox did not settle');
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  const png = await page.screenshot({ fullPage: false, ...(process.env.MG_SCREENSHOTS === 'docs' ? { path: path.join(docsImg(), name) } : {}) });
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
}
function docsImg(): string {
  const dir = path.resolve(__dirname, '../../../docs/img');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh offline tab signed in with a role's demo key. */
async function signedIn(role: Role, hash = ''): Promise<{ page: Page; tab: OfflineContext }> {
  const tab = await offlineContext(browser);
  contexts.push(tab);
  const page = await tab.context.newPage();
  await page.goto(`${t.url}/ops${hash}`);
  await page.getByLabel('API key or JWT').fill(DEMO_KEYS[role]);
  await page.keyboard.press('Enter');
  await page.getByTestId('viewer').filter({ hasText: role }).waitFor();
  return { page, tab };
}

/** How many pixels of the chart's canvas are painted (not transparent). */
function paintedPixels(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((c: any) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
    return n;
  });
}

before(async () => {
  t = await createTestApp();
  s = await seedDemo(t.sims, 20);
  await settle();
  await closeDemoSettlement(t.sims);
  await settle();
  browser = await launchChromium();
});
after(async () => {
  for (const c of contexts) {
    assert.deepEqual(c.refused, [], 'the page asked for nothing beyond this machine');
    assert.deepEqual(
      c.problems.filter((p) => !/status of 40[13]/.test(p)),
      [],
      'no script error, no Content-Security-Policy violation',
    );
  }
  await browser?.close();
  await t?.close();
  await stopTestServer();
});

describe('the ops page', () => {
  test('is served by the service with its own assets only, and refuses to load anything from elsewhere', async () => {
    const r = await t.http.get('/ops');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-security-policy'] ?? '', /default-src 'self'/);
    assert.doesNotMatch(r.text, /https?:\/\//, 'no external URL in the page');
    const assets = [...r.text.matchAll(/\/ops\/assets\/[\w.-]+/g)].map((m) => m[0]);
    assert.equal(assets.length, 2, 'one script, one stylesheet');
    for (const a of assets) {
      const x = await t.http.get(a);
      assert.equal(x.status, 200, a);
      assert.match(x.headers['cache-control'] ?? '', /immutable/);
    }
    assert.equal((await t.http.get('/ops/assets/nothing-here.js')).status, 404);
  });

  test('each role signs in with its key and sees the sections its role may use', async () => {
    const expected: Record<Role, string[]> = {
      SUPPORT: ['Exceptions', 'An order'],
      ANALYST: ['Exceptions', 'Reconciliation', 'An order', 'Plumbing'],
      FINANCE: ['Exceptions', 'Reconciliation', 'An order', 'Plumbing'],
      ADMIN: ['Exceptions', 'Reconciliation', 'An order', 'Plumbing'],
    };
    for (const role of Object.keys(expected) as Role[]) {
      const { page } = await signedIn(role);
      assert.deepEqual(await page.getByRole('navigation', { name: 'Sections' }).getByRole('link').allTextContents(), expected[role], role);
      // The credential lives in this tab's session storage only.
      assert.equal(await page.evaluate("sessionStorage.getItem('moneygraph.credential')"), DEMO_KEYS[role]);
      assert.equal(await page.evaluate('localStorage.length'), 0);
      await page.close();
    }
  });

  test('a wrong key is refused on the sign-in form', async () => {
    const tab = await offlineContext(browser);
    contexts.push(tab);
    const page = await tab.context.newPage();
    await page.goto(`${t.url}/ops`);
    await page.getByLabel('API key or JWT').fill('not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /key|credential|token/i);
    assert.equal(await page.evaluate("sessionStorage.getItem('moneygraph.credential')"), null);
  });

  test('support sees the planted demo exceptions in the queue, and the age chart is drawn', async () => {
    const { page } = await signedIn('SUPPORT');
    const queue = page.getByTestId('exception-queue');
    await queue.waitFor();
    const api = await t.gql('SUPPORT', '{ moneyExceptions(first: 100) { nodes { kind orderId } } }');
    const fromApi = api.data.moneyExceptions.nodes.map((n: any) => `${n.kind} ${n.orderId ?? '—'}`).sort();
    const shown = (await queue.locator('tbody tr').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-kind')} ${r.children[2]?.textContent}`))).sort();
    assert.deepEqual(shown, fromApi);
    assert.ok(shown.includes(`CAPTURED_OMS_REJECTED ${s.rejectedOrder}`), 'the rejected order');
    assert.ok(shown.includes('CAPTURED_ORDER_CREATION_FAILED demo-never-created'), 'the payment for an order never created');
    assert.ok(shown.some((r) => r.startsWith('SETTLEMENT_LINE_WITHOUT_ORDER')));
    // Amounts read as decimals with their currency, never minor units.
    assert.ok((await queue.innerText()).includes('49.99 EUR'), 'the orphan capture of 4999 minor units');
    assert.ok((await paintedPixels(page, 'age-chart')) > 500, 'the chart painted its bars');
    // Filtering by owner narrows the queue to that team's kinds.
    await page.getByLabel('Owner', { exact: true }).selectOption('FINANCE');
    await until('the FINANCE queue', async () => (await queue.locator('tbody tr td:nth-child(2)').allTextContents()).every((o) => o === 'FINANCE'));
    await page.getByLabel('Owner', { exact: true }).selectOption('');
    await until('the whole queue again', async () => (await queue.locator('tbody tr').count()) === fromApi.length);
    await queue.getByRole('button', { name: 'CAPTURED_OMS_REJECTED' }).click();
    await page.getByTestId('exception-detail').waitFor();
    assert.match(await page.getByTestId('exception-detail').innerText(), /cap-demo-rejected/);
    assert.equal(await page.getByRole('form', { name: 'Decide' }).count(), 0, 'support cannot decide');
    await screenshot(page, 'ops-exceptions.png');
  });

  test('finance decides an exception from the page twice, with the notes; the API and the page keep both in its history', async () => {
    const { page } = await signedIn('FINANCE');
    const queue = page.getByTestId('exception-queue');
    await queue.getByRole('button', { name: 'CAPTURED_OMS_REJECTED' }).click();
    const form = page.getByRole('form', { name: 'Decide' });
    await form.getByLabel('Decision').selectOption('HOLD_AND_ESCALATE');
    await form.getByLabel('Note').fill('Held until the OMS team re-creates the order');
    await form.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('status').filter({ hasText: 'Decided: HOLD_AND_ESCALATE' }).waitFor();
    const r = await t.gql(
      'ADMIN',
      `{ moneyExceptions(filter: { orderId: "${s.rejectedOrder}", kinds: [CAPTURED_OMS_REJECTED] }) { nodes { status decision { decision note decidedBy } } } }`,
    );
    const [x] = r.data.moneyExceptions.nodes;
    assert.equal(x.status, 'DECIDED');
    assert.equal(x.decision.decision, 'HOLD_AND_ESCALATE');
    assert.equal(x.decision.note, 'Held until the OMS team re-creates the order');
    assert.match(await page.getByTestId('exception-detail').innerText(), /Decided HOLD_AND_ESCALATE/);

    // A second decision: the history under the evidence lists both, oldest first, with the states around them.
    await form.getByLabel('Decision').selectOption('RELEASE_HOLD');
    await form.getByLabel('Note').fill('Released: the OMS team re-created the order');
    await form.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('status').filter({ hasText: 'Decided: RELEASE_HOLD' }).waitFor();
    const entries = page.getByTestId('decision-history').locator('li');
    await until('both decisions in the history', async () => (await entries.count()) === 2);
    const shown = await entries.allInnerTexts();
    assert.match(shown[0]!, /HOLD_AND_ESCALATE by finance-demo \(FINANCE\) · OPEN → DECIDED: “Held until the OMS team re-creates the order”/);
    assert.match(shown[1]!, /RELEASE_HOLD by finance-demo \(FINANCE\) · DECIDED \(HOLD_AND_ESCALATE\) → OPEN: “Released: the OMS team re-created the order”/);
    const h = await t.gql(
      'SUPPORT',
      `{ moneyExceptions(filter: { orderId: "${s.rejectedOrder}", kinds: [CAPTURED_OMS_REJECTED] }) { nodes { status history { decision role note previousStatus status } } } }`,
    );
    assert.deepEqual(h.data.moneyExceptions.nodes[0].history, [
      { decision: 'HOLD_AND_ESCALATE', role: 'FINANCE', note: 'Held until the OMS team re-creates the order', previousStatus: 'OPEN', status: 'DECIDED' },
      { decision: 'RELEASE_HOLD', role: 'FINANCE', note: 'Released: the OMS team re-created the order', previousStatus: 'DECIDED', status: 'OPEN' },
    ]);
  });

  test('an admin refunds a return invoice from the order page: a double click is one refund at the PSP', async () => {
    const o = await paidOrder(t.sims, { total: '8000' });
    const invoice = await returnInvoice(t.sims, o.orderId, '2500');
    await until('the return invoice pending at moneygraph', async () => {
      const r = await t.gql('ADMIN', `{ order(id: "${o.orderId}") { pendingRefunds { totalPending { amount } } captures { id } } }`);
      return r.data.order?.pendingRefunds.totalPending.amount === '25.00' && r.data.order.captures.length === 1;
    });
    const { page } = await signedIn('ADMIN', `#/order/${o.orderId}`);
    await page.getByTestId('order-title').waitFor();
    const side = await page.getByTestId('psp').innerText();
    assert.match(side, /80\.00 EUR/);
    assert.match(await page.getByTestId('pending').innerText(), /25\.00 EUR/);
    const form = page.getByTestId('refund-form');
    await form.getByLabel('Reason').fill('Returned item');
    let posted = 0;
    page.on('request', (req) => {
      if (req.method() === 'POST' && (req.postData() ?? '').includes('OpsRefund')) posted++;
    });
    await form.getByRole('button', { name: 'Refund' }).dblclick();
    await page
      .getByRole('status')
      .filter({ hasText: 'SUCCEEDED' })
      .waitFor()
      .catch(async (err: Error) => {
        throw new Error(`${err.message}\nthe page says: ${(await page.getByRole('status').allInnerTexts()).join(' | ')}`);
      });
    await until('the order reloaded with its refund', async () => (await page.getByTestId('refunds').locator('tbody tr').innerText()).includes('SUCCEEDED'));
    assert.equal(pspRefunds(t, o.orderId).length, 1, 'exactly one refund at the PSP');
    assert.ok(posted >= 1);
    const r = await t.gql('ADMIN', `{ order(id: "${o.orderId}") { refunds { invoiceId status amount { amount } } } }`);
    assert.deepEqual(r.data.order.refunds, [{ invoiceId: invoice, status: 'SUCCEEDED', amount: { amount: '25.00' } }]);
    await screenshot(page, 'ops-order.png');
  });

  test("finance sees the runs over time and exports one run's rows as CSV, the same rows the API gives", async () => {
    const now = new Date();
    const run = await t.gql('FINANCE', 'mutation($input: RunReconciliationInput!) { runReconciliation(input: $input) { run { id varianceCount } userErrors { message } } }', {
      input: { from: new Date(now.getTime() - 86_400_000).toISOString(), to: new Date(now.getTime() + 60_000).toISOString() },
    });
    const { id, varianceCount } = run.data.runReconciliation.run;
    assert.ok(varianceCount >= 1, 'the refund just made is not in the ERP yet');
    const { page } = await signedIn('FINANCE', '#/reconciliation');
    await page.getByTestId('runs').waitFor();
    assert.ok((await paintedPixels(page, 'runs-chart')) > 500, 'the runs chart painted');
    await page.getByTestId('runs').getByRole('button').first().click();
    await page.getByTestId('variances').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), `reconciliation-${id}.csv`);
    const lines = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    const cells = lines.map((l) => l.slice(1, -1).split('","'));
    assert.deepEqual(cells[0], ['refundId', 'orderId', 'kind', 'recordIn', 'pspAmount', 'erpAmount', 'amountDelta', 'currencyCode', 'pspStatus', 'erpStatus', 'ageSeconds']);
    const api = await t.gql('FINANCE', `{ reconciliationRun(id: "${id}") { variances(first: 100) { nodes { refundId orderId kind amountDelta { amount currencyCode } } } } }`);
    const expected = api.data.reconciliationRun.variances.nodes.map((v: any) => [v.refundId, v.orderId ?? '', v.kind, v.amountDelta.amount, v.amountDelta.currencyCode]);
    assert.deepEqual(
      cells.slice(1).map((c) => [c[0], c[1], c[2], c[6], c[7]]),
      expected,
    );
    assert.equal(cells.length - 1, varianceCount);
  });

  test('an admin puts a dead letter back in the queue from the plumbing section; finance sees it without the button', async () => {
    const [msg] = await t.dataSource.query("SELECT id FROM outbox_message WHERE status = 'PENDING' ORDER BY id LIMIT 1");
    assert.ok(msg, 'the refund left an ERP posting owed');
    await t.dataSource.query("UPDATE outbox_message SET status = 'DEAD', last_error = 'ERP answered 503 five times' WHERE id = ?", [msg.id]);
    const finance = await signedIn('FINANCE', '#/plumbing');
    await finance.page.getByTestId('dead-letters').getByText('ERP answered 503 five times').waitFor();
    assert.equal(await finance.page.getByRole('button', { name: 'Retry' }).count(), 0);
    const { page } = await signedIn('ADMIN', '#/plumbing');
    const table = page.getByTestId('dead-letters');
    await table.getByText('ERP answered 503 five times').waitFor();
    await page.getByTestId('webhook-events').waitFor();
    await table.getByRole('button', { name: 'Retry' }).first().click();
    await page.getByRole('status').filter({ hasText: 'Put back in the queue: 1' }).waitFor();
    const [after] = await t.dataSource.query('SELECT status, attempts FROM outbox_message WHERE id = ?', [msg.id]);
    assert.equal(after.status, 'PENDING');
    assert.equal(Number(after.attempts), 0);
  });

  test('an admin applies a dead webhook event again from the plumbing section, with the keyboard, and sees the outcome', async () => {
    const [ev] = await t.dataSource.query(
      "SELECT id, event_id FROM webhook_event WHERE source = 'OMS' AND event_type = 'order.upserted' AND status = 'PROCESSED' ORDER BY id LIMIT 1",
    );
    assert.ok(ev, 'the demo data delivered OMS order events');
    await t.dataSource.query("UPDATE webhook_event SET status = 'DEAD', attempts = 10, error = 'internal error while applying the event', processed_at = NULL WHERE id = ?", [
      ev.id,
    ]);
    const finance = await signedIn('FINANCE', '#/plumbing');
    await finance.page.getByTestId('webhook-events').locator(`tr[data-event-id="${ev.event_id}"]`).waitFor();
    assert.equal(await finance.page.getByTestId('webhook-events').getByRole('button').count(), 0, 'finance reads the events without retrying them');
    const { page } = await signedIn('ADMIN', '#/plumbing');
    const row = page.getByTestId('webhook-events').locator(`tr[data-event-id="${ev.event_id}"]`);
    await row.getByText('DEAD').waitFor();
    // Select it with the keyboard, then retry the selection.
    await row.getByRole('checkbox').focus();
    await page.keyboard.press('Space');
    const selectedButton = page.getByRole('button', { name: 'Retry selected (1)' });
    await selectedButton.waitFor();
    await selectedButton.focus();
    await page.keyboard.press('Enter');
    await page
      .getByTestId('webhook-retry-outcome')
      .filter({ hasText: `Retried 1: ${ev.event_id}: applied` })
      .waitFor();
    await until('the event gone from the list', async () => (await row.count()) === 0);
    const [after] = await t.dataSource.query('SELECT status, attempts FROM webhook_event WHERE id = ?', [ev.id]);
    assert.deepEqual([after.status, Number(after.attempts)], ['PROCESSED', 0]);
    const [audit] = await t.dataSource.query("SELECT role, outcome FROM audit_log WHERE operation = 'retryWebhookEvents' ORDER BY id DESC LIMIT 1");
    assert.deepEqual([audit.role, audit.outcome], ['ADMIN', 'SUCCEEDED']);
  });
});
