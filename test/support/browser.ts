/**
 * Real Chromium for the page tests: Debian's `chromium` package driven by playwright-core (which
 * never downloads a browser of its own). Installed with apt-get when missing and running as root
 * (as CI does on a fresh machine), the way the private MariaDB is.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';

let installing: Promise<void> | undefined;

async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} not found: install Debian's chromium package (sudo apt-get install chromium)`);
  installing ??= (async () => {
    await run('apt-get', ['update'], { maxBuffer: 64 << 20 });
    await run('env', ['DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', 'chromium'], { maxBuffer: 64 << 20 });
    if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  })();
  await installing;
}

export async function launchChromium(): Promise<Browser> {
  await ensureChromium();
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface OfflineContext {
  context: BrowserContext;
  /** Every request to anything but this machine, refused (the page must never need one). */
  refused: string[];
  /** Console errors and failed page loads, CSP violations included. */
  problems: string[];
}

/** A browser context that can reach only localhost: every other request is aborted and recorded. */
export async function offlineContext(browser: Browser): Promise<OfflineContext> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1440, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
  const refused: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return route.continue();
    refused.push(url.toString());
    return route.abort('internetdisconnected');
  });
  context.on('page', (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
  });
  return { context, refused, problems };
}
