import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDatedCsv } from '../export/fixtures';
import { openLabPage, type OpenedLab } from './support/browser';
import { labRuns } from './support/lab-runs';
import { dropFile, waitForStatus } from './support/page-helpers';

/** The Data view's per-column Type select, from a detected ISO date to a run that records both types. */
describe.sequential('column types in the app', () => {
  let opened: OpenedLab;
  let page: Page;
  const home = mkdtempSync(join(tmpdir(), 'nnlab-e2e-types-'));
  const csv = join(home, 'dated.csv');

  beforeAll(async () => {
    writeDatedCsv(csv);
    opened = await openLabPage(home);
    page = opened.page;
  });

  it('shows an ISO date column as Date with 4 features, reads a numeric code as categories, and the run records both', async () => {
    const drop = page.getByRole('region', { name: 'Drop a CSV file here' });
    await drop.waitFor();
    await dropFile(drop, 'dated.csv', readFileSync(csv, 'utf8'));
    const sold = page.getByRole('combobox', { name: 'Type of sold' });
    await sold.waitFor();
    expect(await sold.inputValue()).toBe('date');
    expect(await sold.locator('option').allTextContents()).toEqual(['Category', 'Date', 'Ignored']);
    const soldRow = page.getByRole('table', { name: 'Columns' }).getByRole('row').filter({ has: sold });
    await soldRow.getByText('2023-01-01 … 2024-05-14 · 4 features: year, month, day, weekday').waitFor();

    const store = page.getByRole('combobox', { name: 'Type of store' });
    expect(await store.inputValue()).toBe('number');
    expect(await store.locator('option').allTextContents()).toEqual(['Number', 'Category', 'Ignored']);
    await store.selectOption('category');
    await page.getByRole('table', { name: 'Columns' }).getByRole('row').filter({ has: store }).getByText('3 values').waitFor();
    expect(await store.inputValue()).toBe('category');
    expect(await page.getByRole('combobox', { name: 'Type of busy' }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(tmpdir(), 'nnlab-column-types-data.png'), fullPage: true });

    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('5');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Finished · /);
    const [run] = labRuns(home);
    expect(run!.request.roles.types).toEqual({ store: 'category' });
    expect(run!.preprocessing.features.map((f) => [f.column, f.kind])).toEqual([['sold', 'date'], ['store', 'onehot'], ['units', 'numeric']]);
    expect(run!.model.inputs).toBe(4 + 3 + 1);
    expect(opened.pageErrors).toEqual([]);
  });

  afterAll(async () => {
    await opened?.close();
    rmSync(home, { recursive: true, force: true });
  });
});
