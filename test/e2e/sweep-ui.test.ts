import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { labRuns } from './support/lab-runs';
import { openExample } from './support/page-helpers';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleSd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

/** The Train view's "Sweep seeds…": three seeds of the bench's settings, their band and mean ± sd, then the Runs view's group. */
describe.sequential('seed sweeps in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-sweep-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('trains 3 seeds, shows the band chart and each final metric’s mean ± sd, and stores them as one sweep', async () => {
    await openExample(page, 'Iris');
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('10');
    await page.getByRole('button', { name: 'Sweep seeds…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sweep seeds' });
    await dialog.getByRole('spinbutton', { name: 'Number of seeds' }).fill('3');
    await dialog.getByRole('button', { name: 'Start sweep' }).click();
    const panel = page.getByRole('region', { name: 'Seed sweep' });
    await panel.getByText('over 3 seeds').waitFor({ timeout: 0 });
    await page.getByRole('status', { name: 'Sweep progress' }).waitFor({ state: 'detached', timeout: 0 });
    await page.screenshot({ path: join(tmpdir(), 'nnlab-sweep.png'), fullPage: true });
    expect(await panel.getByRole('img', { name: /Mean training loss over the seeds/ }).locator('polygon').count()).toBe(1);

    const runs = labRuns(opened.home).filter((r) => r.sweep);
    expect(runs).toHaveLength(3);
    expect(new Set(runs.map((r) => r.sweep!.id)).size).toBe(1);
    expect(runs.map((r) => r.sweep!.index).sort()).toEqual([1, 2, 3]);
    const seeds = runs.map((r) => r.seed).sort((a, b) => a - b);
    expect(seeds[1]! - seeds[0]!).toBe(1);
    expect(seeds[2]! - seeds[1]!).toBe(1);
    // The table's mean ± sd is the runs' own: the training loss in three significant digits.
    const losses = runs.map((r) => r.summary.train!.loss!);
    const cell = await panel.getByRole('table', { name: 'Final metrics over the seeds' }).locator('[data-metric="train.loss"]').textContent();
    expect(cell).toBe(`${Number(mean(losses).toPrecision(3))} ± ${Number(sampleSd(losses).toPrecision(3))}`);

    await page.getByRole('tab', { name: 'Runs' }).click();
    const group = page.getByRole('rowgroup', { name: `Sweep ${runs[0]!.sweep!.name}` });
    await group.waitFor({ timeout: 0 });
    await expect(group.getByRole('rowheader').textContent()).resolves.toMatch(/seed sweep · 3 seeds/);
    expect(await group.getByRole('button', { name: /^Details of / }).count()).toBe(3);
    expect(opened.pageErrors).toEqual([]);
  });

  it('stops a sweep under way: the seed training stops, no further seed starts, and the runs stay on disk as stopped', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('100000');
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    await page.getByRole('button', { name: 'Sweep seeds…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sweep seeds' });
    await dialog.getByRole('spinbutton', { name: 'Number of seeds' }).fill('5');
    await dialog.getByRole('button', { name: 'Start sweep' }).click();
    await page.getByRole('status', { name: 'Sweep progress' }).waitFor();
    const before = labRuns(opened.home).filter((r) => r.sweep).length;
    await page.getByRole('button', { name: 'Stop sweep' }).click();
    await page.getByRole('status', { name: 'Sweep progress' }).waitFor({ state: 'detached', timeout: 0 });
    await page.getByRole('region', { name: 'Seed sweep' }).getByText(/^Sweep stopped after 0 seeds/).waitFor();
    const swept = labRuns(opened.home).filter((r) => r.sweep).slice(before);
    // The first seed trains alone, so the stop finds it training and none after it begun.
    expect(swept).toHaveLength(1);
    expect(swept[0]!.status).toBe('stopped');
    expect(opened.pageErrors).toEqual([]);
  });
});
