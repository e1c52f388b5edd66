import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricStats } from '../../common/experiment';
import { openLabPage, type OpenedLab } from './support/browser';

/** Cross-validation from the Train view: iris in 3 folds, their runs on disk as one experiment, and the Runs view. */
describe.sequential('cross-validation in the app', () => {
  let opened: OpenedLab;
  const home = mkdtempSync(join(tmpdir(), 'nnlab-e2e-cv-'));
  beforeAll(async () => {
    opened = await openLabPage(home);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('trains 3 folds as one experiment and shows every test metric’s mean ± sd', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Iris', exact: true }).click();
    await page.getByRole('combobox', { name: 'Target' }).waitFor();
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('20');
    await page.getByRole('spinbutton', { name: 'Cross-validation folds', exact: true }).fill('3');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('status', { name: 'Cross-validation progress' }).waitFor();
    const results = page.getByRole('region', { name: 'Cross-validation results' });
    // However long the folds take on a busy machine: no time limit (0).
    await results.getByRole('heading', { name: /: 3 of 3 folds$/ }).waitFor({ timeout: 0 });
    await page.getByRole('status', { name: 'Cross-validation progress' }).waitFor({ state: 'detached' });

    const records = readdirSync(join(home, 'runs')).map((id) => JSON.parse(readFileSync(join(home, 'runs', id, 'run.json'), 'utf8')));
    expect(records).toHaveLength(3);
    const ids = new Set(records.map((r) => r.experiment.id));
    expect(ids.size).toBe(1);
    expect(records.map((r) => r.experiment.fold).sort()).toEqual([1, 2, 3]);
    expect(records.map((r) => r.dataset.splits.test)).toEqual([50, 50, 50]);
    const stats = metricStats(records.map((r) => r.summary.test));
    const shown = await results.getByRole('table', { name: 'Mean and standard deviation over the folds' }).locator('[data-metric="accuracy"]').textContent();
    expect(shown).toBe(`${(stats.mean['accuracy']! * 100).toFixed(1)} % ± ${(stats.sd['accuracy']! * 100).toFixed(1)} %`);
  });

  it('lists the folds together in Runs, under the experiment', async () => {
    const { page } = opened;
    await page.getByRole('tab', { name: 'Runs' }).click();
    const group = page.getByRole('rowgroup', { name: /^Experiment /i });
    await expect.poll(() => group.getByRole('button', { name: /^Details of / }).count()).toBe(3);
    expect(await group.getByRole('rowheader').textContent()).toMatch(/cross-validation · 3 folds/);
    expect(opened.pageErrors).toEqual([]);
  });
});
