import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWeatherCsv } from '../support/weather';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { labRuns } from './support/lab-runs';
import { dropFile, waitForStatus } from './support/page-helpers';

/** The Class weights control of the training form, from the weather table it is made for to a run.json on disk. */
describe.sequential('class weights in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;
  let csv: string;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-class-weight-');
    page = opened.page;
    csv = join(opened.home, 'weather.csv');
    writeWeatherCsv(csv, 600, 5);
  });

  afterAll(async () => {
    await opened?.close();
  });

  const records = () => labRuns(opened.home);

  async function trainThreeEpochs(): Promise<void> {
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('3');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Finished · /);
  }

  it('sends Balanced in the request, and the run records the weights', async () => {
    const drop = page.getByRole('region', { name: 'Drop a CSV file here' });
    await drop.waitFor();
    await dropFile(drop, 'weather.csv', readFileSync(csv, 'utf8'));
    await page.getByText('Predicting classes from 5 feature columns.').waitFor();
    await page.getByRole('tab', { name: 'Train' }).click();
    const control = page.getByRole('combobox', { name: 'Class weights' });
    expect(await control.inputValue()).toBe('none');
    expect(await control.isEnabled()).toBe(true);
    expect(await control.locator('option').allTextContents()).toEqual(['None', 'Balanced']);
    await control.selectOption({ label: 'Balanced' });
    await trainThreeEpochs();
    const [run] = records();
    expect(run!.request.settings.classWeight).toBe('balanced');
    expect(run!.training.classWeights).toHaveLength(5);
    expect(opened.pageErrors).toEqual([]);
  });

  it('is switched off for a number to predict, and the request then counts every row once', async () => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('combobox', { name: 'Target' }).selectOption('temperature');
    await page.getByText(/^Predicting a number \(regression\) from/).waitFor();
    await page.getByRole('tab', { name: 'Train' }).click();
    const control = page.getByRole('combobox', { name: 'Class weights' });
    expect(await control.isDisabled()).toBe(true);
    expect(await control.inputValue()).toBe('none');
    await trainThreeEpochs();
    const runs = records();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.task).toBe('regression');
    expect(runs[1]!.request.settings.classWeight).toBe('none');
    expect(runs[1]!.training.classWeights).toBeUndefined();
  });
});
