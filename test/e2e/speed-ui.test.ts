import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { openExample, stepOf, waitForStatus } from './support/page-helpers';

/** The Train view's Speed: slow motion, one mini-batch after another on the status line, then full speed again. */
describe.sequential('slow motion in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-speed-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('trains one step at a time at 2 steps a second, each one shown, and finishes at full speed', async () => {
    await openExample(page, 'Iris');
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('40');
    const speed = page.getByRole('combobox', { name: 'Speed' });
    expect(await speed.locator('option').allTextContents()).toEqual(['Full speed', '60 steps/s', '30 steps/s', '10 steps/s', '5 steps/s', '2 steps/s', '1 step/s']);
    await speed.selectOption({ label: '2 steps/s' });
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    // Every step appears on the status line in turn: slow motion trains no step unseen.
    for (const step of [1, 2, 3, 4]) await waitForStatus(page, new RegExp(`^Training · epoch \\d+ · step ${step}\\b`));
    await page.screenshot({ path: join(tmpdir(), 'nnlab-speed.png') });
    // The header still fits the window with the Speed control in it.
    expect(await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
      return root.scrollWidth <= root.clientWidth;
    })).toBe(true);
    await speed.selectOption({ label: 'Full speed' });
    const finished = await waitForStatus(page, /^Finished · /);
    expect(stepOf(finished)).toBeGreaterThan(4);
    expect(opened.pageErrors).toEqual([]);
  });
});
