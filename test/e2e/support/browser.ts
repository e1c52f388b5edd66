import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServe, type ServedLab } from './serve';

/** Debian's Chromium; playwright-core never downloads a browser here. */
const CHROMIUM = process.env['NNLAB_CHROMIUM'] ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function newContext(browser: Browser, scheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1024, height: 700 }, colorScheme: scheme, acceptDownloads: true });
}

/** A lab served to a fresh Chromium page, with the page's uncaught errors collected. */
export interface OpenedLab {
  lab: ServedLab;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openLabPage(home?: string): Promise<OpenedLab> {
  const lab = await startServe(home);
  const browser = await launchChromium();
  const context = await newContext(browser, 'light');
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(lab.url);
  return {
    lab, browser, context, page, pageErrors,
    async close() {
      await browser.close();
      await lab.stop();
    },
  };
}

/** A lab page on a lab folder of its own, removed on close. */
export async function openLabPageInTempHome(prefix: string): Promise<OpenedLab & { home: string }> {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const opened = await openLabPage(home);
  return {
    ...opened, home,
    async close() {
      await opened.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
