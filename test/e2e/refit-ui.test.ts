import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset } from '../support/cli';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { labRuns } from './support/lab-runs';
import { dropFile, waitForStatus } from './support/page-helpers';

/** The training form's refit, from the checkbox to a refitted model in run.json and the message under the chart. */
describe.sequential('refit in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-refit-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  const records = () => labRuns(opened.home);

  it('is off at first; checked, the run is refitted on its training and validation rows and says so', async () => {
    const drop = page.getByRole('region', { name: 'Drop a CSV file here' });
    await drop.waitFor();
    await dropFile(drop, 'iris.csv', readFileSync(dataset('iris.csv'), 'utf8'));
    await page.getByText('Predicting classes from 4 feature columns.').waitFor();
    await page.getByRole('tab', { name: 'Train' }).click();
    const refit = page.getByRole('checkbox', { name: 'Refit on training + validation rows' });
    expect(await refit.isChecked()).toBe(false);
    await refit.check();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('8');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Finished · /);
    const [run] = records();
    expect(run!.request.settings.refit).toBe(true);
    const { train, val } = run!.dataset.splits;
    expect(run!.summary.refit).toEqual({ epochs: Math.round((8 * train) / (train + val)), rows: train + val });
    await page.getByText(`Refitted on all ${train + val} training and validation rows`).waitFor();
    expect(opened.pageErrors).toEqual([]);
  });
});
