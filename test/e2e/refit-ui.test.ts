import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/run-record';
import { dataset } from '../support/cli';
import { openLabPage, type OpenedLab } from './support/browser';
import { dropFile, waitForStatus } from './support/page-helpers';

/** The training form's refit, from the checkbox to a refitted model in run.json and the message under the chart. */
describe.sequential('refit in the app', () => {
  let opened: OpenedLab;
  let page: Page;
  const home = mkdtempSync(join(tmpdir(), 'nnlab-e2e-refit-'));

  beforeAll(async () => {
    opened = await openLabPage(home);
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const records = (): RunRecord[] => readdirSync(join(home, 'runs'))
    .map((id) => JSON.parse(readFileSync(join(home, 'runs', id, 'run.json'), 'utf8')) as RunRecord)
    .sort((a, b) => a.created.localeCompare(b.created));

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
