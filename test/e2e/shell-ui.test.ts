import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPage, type OpenedLab } from './support/browser';
import { canvasFingerprint, waitForStatus } from './support/page-helpers';

// The functions given to evaluate() run in the page; these describe the browser globals they use.
declare const document: { body: object; documentElement: object };
declare function getComputedStyle(element: object): { backgroundColor: string; colorScheme: string };

/** The theme choice and the favicon, in Chromium against `nnlab serve`. */
describe.sequential('the theme and the favicon in the browser host', () => {
  let opened: OpenedLab;
  beforeAll(async () => {
    opened = await openLabPage();
  });
  afterAll(async () => {
    await opened?.close();
  });

  const background = () => opened.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const theme = () => opened.page.getByRole('combobox', { name: 'Theme' });
  const LIGHT = 'rgb(246, 247, 249)';
  const DARK = 'rgb(21, 22, 26)';

  it('offers System, Light and Dark; System follows the system', async () => {
    const { page } = opened;
    await page.getByRole('status').waitFor();
    expect(await theme().inputValue()).toBe('system');
    expect(await theme().locator('option').allTextContents()).toEqual(['System', 'Light', 'Dark']);
    expect(await background()).toBe(LIGHT);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(background).toBe(DARK);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(background).toBe(LIGHT);
  });

  it('Dark turns the page dark whatever the system says, and stays chosen after a reload', async () => {
    const { page } = opened;
    await theme().selectOption('dark');
    await expect.poll(background).toBe(DARK);
    await page.screenshot({ path: join(tmpdir(), 'nnlab-theme-dark.png') });
    await page.reload();
    await page.getByRole('status').waitFor();
    expect(await theme().inputValue()).toBe('dark');
    expect(await background()).toBe(DARK);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe('dark');
  });

  it('Light keeps the page light when the system is dark', async () => {
    const { page } = opened;
    await page.emulateMedia({ colorScheme: 'dark' });
    await theme().selectOption('light');
    await expect.poll(background).toBe(LIGHT);
    await page.screenshot({ path: join(tmpdir(), 'nnlab-theme-light.png') });
    await theme().selectOption('system');
    await expect.poll(background).toBe(DARK);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(opened.pageErrors).toEqual([]);
  });

  it('links a favicon, which the host serves as an icon to a page with its token, and to no one else', async () => {
    const { page, context, lab } = opened;
    const href = await page.locator('link[rel="icon"]').evaluate((link) => (link as unknown as { href: string }).href);
    const origin = new URL(lab.url).origin;
    expect(href).toBe(`${origin}/favicon.ico`);
    // The page's own request carries the token cookie it was given, as the browser's favicon request does.
    const fromPage = await context.request.get(href);
    expect(fromPage.status()).toBe(200);
    expect(fromPage.headers()['content-type']).toBe('image/x-icon');
    const bytes = await fromPage.body();
    // An ICO header (reserved 0, type 1) with three images, the first a PNG.
    expect([...bytes.subarray(0, 6)]).toEqual([0, 0, 1, 0, 3, 0]);
    const first = bytes.readUInt32LE(6 + 12);
    expect(bytes.subarray(first, first + 4).toString('latin1')).toBe('\x89PNG');
    const withToken = await fetch(`${origin}/favicon.ico?token=${new URL(lab.url).searchParams.get('token')}`);
    expect(withToken.status).toBe(200);
    expect((await fetch(`${origin}/favicon.ico`)).status).toBe(403);
  });

  it('redraws the charts in the colours of a theme chosen while they show, and keeps the select in view at 1024 × 700', async () => {
    const { page } = opened;
    await theme().selectOption('light');
    await page.getByRole('button', { name: 'Iris' }).click();
    await page.getByRole('combobox', { name: 'Target' }).waitFor();
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('3');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^(Finished|Stopped) · /);
    const chart = page.getByRole('img', { name: /^Loss by step/ }).locator('canvas');
    const light = await canvasFingerprint(chart);
    await theme().selectOption('dark');
    await expect.poll(() => canvasFingerprint(chart)).not.toBe(light);
    await page.setViewportSize({ width: 1024, height: 700 });
    const box = (await theme().boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: join(tmpdir(), 'nnlab-theme-1024.png') });
    await theme().selectOption('system');
    expect(opened.pageErrors).toEqual([]);
  });
});
