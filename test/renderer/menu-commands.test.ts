import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MenuCommand, Theme } from '../../common/menu-commands';
import { launchChromium } from '../e2e/support/browser';
import { startHarness } from './support';

// The functions given to evaluate() run in the page.
declare const window: { desktop: { menu(command: MenuCommand): void; calls(): { method: string; args: unknown[] }[]; themes(): Theme[]; listeners(): number } };
declare const document: { documentElement: { dataset: Record<string, string | undefined> } };

/** The page's side of the desktop app's menus, in Chromium: each command does what the page's own control does. */
describe.sequential('menu commands in the page', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    let url: string;
    ({ server, url } = await startHarness());
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}desktop.html`);
    await page.getByRole('status').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const menu = (command: MenuCommand) => page.evaluate((c) => window.desktop.menu(c), command);
  const called = (method: string) => page.evaluate((m) => window.desktop.calls().filter((c) => c.method === m).map((c) => c.args), method);

  it('listens to the menus in App, the Theme select and the Export menu', async () => {
    await expect.poll(() => page.evaluate(() => window.desktop.listeners())).toBe(3);
  });

  it('File → Open CSV… shows the open dialog, as the Open CSV… button does', async () => {
    await menu({ command: 'open-csv' });
    await expect.poll(() => called('chooseFile')).toEqual([['dataset']]);
  });

  it('File → Open recent → a path opens that path, and says so when it cannot', async () => {
    await menu({ command: 'open-path', path: '/data/gone.csv' });
    await expect.poll(() => called('openDatasetPath')).toEqual([['/data/gone.csv']]);
    await page.getByText('/data/gone.csv could not be read.').waitFor();
  });

  it('Run items do nothing while their buttons are disabled (no dataset open)', async () => {
    expect(await page.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    await menu({ command: 'start' });
    await menu({ command: 'step' });
    await page.waitForTimeout(200);
    expect(await page.getByText('Open a dataset first').count()).toBe(0);
    expect(await page.getByRole('status').textContent()).toBe('No dataset open');
  });

  it('File → Export model… does nothing without a model, as its disabled button', async () => {
    await menu({ command: 'export-model' });
    await page.waitForTimeout(200);
    expect(await page.getByRole('group', { name: 'Export formats' }).count()).toBe(0);
    expect(await called('exportFormats')).toEqual([]);
  });

  it('View → Theme sets the page\'s Theme select and colours; the select tells the app its own choice', async () => {
    await menu({ command: 'theme', theme: 'dark' });
    const select = page.getByRole('combobox', { name: 'Theme' });
    await expect.poll(() => select.inputValue()).toBe('dark');
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    // A theme the menu set is not sent back; one chosen in the page is.
    expect(await page.evaluate(() => window.desktop.themes())).toEqual([]);
    await select.selectOption('light');
    expect(await page.evaluate(() => window.desktop.themes())).toEqual(['light']);
    expect(await page.evaluate(() => document.documentElement.dataset['theme'])).toBe('light');
    await page.screenshot({ path: join(tmpdir(), 'nnlab-menu-commands.png') });
    expect(errors).toEqual([]);
  });
});
