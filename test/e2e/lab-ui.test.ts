import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newContext, openLabPage, type OpenedLab } from './support/browser';
import {
  canvasFingerprint, dropFile, frameTimes, percentile, ringsCsv, stepOf, status, statusText, waitForStatus,
} from './support/page-helpers';
import { repoRoot, type ServedLab } from './support/serve';

/**
 * The whole bench in Debian's Chromium against `nnlab serve`: drop a CSV, pick the target, shape the
 * network, train, pause, step one batch, resume, stop, find the run, reload, compare two runs, export.
 * Screenshots of every view (light and dark) go to test-results/; frame times while training are reported.
 */
const results = join(repoRoot, 'test-results');
mkdirSync(results, { recursive: true });

let lab: ServedLab;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function shot(name: string, target: Page = page): Promise<void> {
  await target.screenshot({ path: join(results, `${name}.png`), fullPage: true });
}

async function view(name: 'Data' | 'Model' | 'Train' | 'Runs', target: Page = page): Promise<void> {
  await target.getByRole('tab', { name }).click();
}

describe.sequential('the lab bench in a browser', () => {
  let opened: OpenedLab;
  beforeAll(async () => {
    opened = await openLabPage();
    ({ lab, browser, page } = opened);
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('opens a dropped CSV file and lets the target be picked', async () => {
    const drop = page.getByRole('region', { name: 'Drop a CSV file here' });
    await drop.waitFor();
    await shot('ui-empty-light');
    await dropFile(drop, 'rings.csv', ringsCsv(4000));
    const target = page.getByRole('combobox', { name: 'Target' });
    await target.waitFor();
    // The last column is the default target; the class is in the first.
    expect(await target.inputValue()).toBe('y');
    await target.selectOption('ring');
    await page.getByText('Predicting two classes from 2 feature columns.').waitFor();
    expect(await page.getByRole('combobox', { name: 'Role of ring' }).inputValue()).toBe('target');
    await expect(page.getByRole('grid', { name: 'Preview of rings.csv' }).isVisible()).resolves.toBe(true);
    await shot('ui-data-light');
  });

  it('edits the layers of the network', async () => {
    await view('Model');
    await page.getByRole('spinbutton', { name: 'Neurons in layer 1', exact: true }).fill('12');
    await page.getByRole('spinbutton', { name: 'Neurons in layer 2', exact: true }).fill('8');
    await page.getByRole('combobox', { name: 'Activation of layer 2' }).selectOption('tanh');
    await page.getByRole('button', { name: 'Add layer' }).click();
    await page.getByRole('spinbutton', { name: 'Neurons in layer 3', exact: true }).fill('4');
    await page.getByRole('button', { name: 'Remove layer 3' }).click();
    await expect(page.getByRole('spinbutton', { name: 'Neurons in layer 3', exact: true }).count()).resolves.toBe(0);
    // 2 inputs → 12 → 8 → 1: (2·12 + 12) + (12·8 + 8) + (8·1 + 1).
    expect(await page.getByTestId('parameter-count').textContent()).toBe('149');
    await shot('ui-model-light');
  });

  it('trains: the status and the loss chart advance, and the page stays smooth', async () => {
    await view('Train');
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('100000');
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const first = await waitForStatus(page, /^Training · epoch [\d,]+ · step [1-9][\d,]* · loss/);
    expect(first).toMatch(/samples\/s$/);
    const chart = page.getByRole('img', { name: /^Loss by step/ }).locator('canvas');
    const before = await canvasFingerprint(chart);
    await page.waitForTimeout(1500);
    const later = await statusText(page);
    expect(stepOf(later)).toBeGreaterThan(stepOf(first));
    expect(await canvasFingerprint(chart)).not.toBe(before);

    const deltas = await frameTimes(page, 5000);
    const figures = {
      frames: deltas.length,
      p50: percentile(deltas, 50),
      p95: percentile(deltas, 95),
      max: deltas[deltas.length - 1],
      status: await statusText(page),
    };
    writeFileSync(join(results, 'frame-times.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`Frame times while training at full speed: ${JSON.stringify(figures)}`);
    await shot('ui-train-running-light');
  });

  it('reconnects to the running session after a reload, with its curves so far', async () => {
    await page.reload();
    await waitForStatus(page, /^Training · /);
    expect(await page.getByRole('tab', { name: 'Train' }).getAttribute('aria-selected')).toBe('true');
    const chart = page.getByRole('img', { name: /^Loss by step/ }).locator('canvas');
    const a = await canvasFingerprint(chart);
    await page.waitForTimeout(800);
    expect(await canvasFingerprint(chart)).not.toBe(a);
  });

  it('pauses, steps exactly one mini-batch, resumes and stops', async () => {
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const paused = await waitForStatus(page, /^Paused · /);
    const step = stepOf(paused);
    await page.waitForTimeout(300);
    expect(stepOf(await statusText(page))).toBe(step);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await waitForStatus(page, new RegExp(`^Paused · .* step ${(step + 1).toLocaleString('en-US')} ·`));
    await page.waitForTimeout(300);
    expect(stepOf(await statusText(page))).toBe(step + 1);
    // The keyboard reaches the same controls: R resumes.
    await page.locator('body').press('r');
    await waitForStatus(page, /^Training · /);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForStatus(page, /^Stopped · /);
    await page.getByRole('table', { name: /^Confusion matrix/ }).waitFor();
    // Beside the matrix, the report of each class, its averages and balanced accuracy.
    const report = page.getByRole('table', { name: 'Per-class metrics', exact: true });
    await expect.poll(async () => (await report.getByRole('rowheader').allTextContents()).slice(-3)).toEqual(['macro avg', 'weighted avg', 'balanced accuracy']);
    await page.getByRole('img', { name: /^Decision boundary over x and y/ }).waitFor();
    // The network's score beside the baselines' on the same held-out rows.
    const baselines = page.getByRole('region', { name: 'Baselines' });
    await baselines.getByRole('row', { name: /^majority baseline/ }).waitFor();
    await baselines.getByRole('row', { name: /^this network/ }).waitFor();
    await shot('ui-train-stopped-light');
    await view('Model');
    await page.locator('svg[data-live="weights"]').waitFor();
    await shot('ui-model-weights-light');
  });

  it('lists the run in Runs, and again after a reload', async () => {
    await view('Runs');
    const row = page.getByRole('row', { name: /rings 12-8/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/Stopped/);
    await page.reload();
    await view('Runs');
    await page.getByRole('row', { name: /rings 12-8/ }).waitFor();
  });

  it('overlays the loss curves of two runs, with the settings that differ', async () => {
    // A second run from the first: duplicated, with fewer epochs and another learning rate.
    await page.getByRole('button', { name: /^Details of rings 12-8/ }).click();
    await page.getByRole('region', { name: /^Run rings 12-8/ }).getByRole('region', { name: 'Baselines' }).waitFor();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('tab', { name: 'Model', selected: true }).waitFor();
    await view('Train');
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('8');
    await page.getByRole('spinbutton', { name: 'Learning rate', exact: true }).fill('0.05');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Finished · epoch 8 · /, 60_000);
    await view('Runs');
    const boxes = page.getByRole('checkbox', { name: /^Compare / });
    await expect.poll(() => boxes.count()).toBe(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('heading', { name: 'Comparing 2 runs' }).waitFor();
    // The copy's name was made up from the original's settings, so it is made up again from its own.
    await page.getByRole('button', { name: 'Details of rings 12-8 relu/tanh · lr 0.05 · 8 epochs · no early stop', exact: true }).waitFor();
    const differ = page.getByRole('table', { name: 'Settings that differ' });
    await differ.getByRole('rowheader', { name: 'Epochs', exact: true }).waitFor();
    await differ.getByRole('rowheader', { name: 'Learning rate', exact: true }).waitFor();
    await shot('ui-runs-light');
  });

  it('exports the model as a download', async () => {
    await view('Train');
    await page.getByRole('button', { name: 'Export model…' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'nnlab model (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.nnlab\.json$/);
    const file = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { format: string; inputs: string[] };
    expect(file.format).toBe('nnlab-model');
    expect(file.inputs).toEqual(['x', 'y']);
  });

  it('looks right in the dark theme too', async () => {
    const dark = await newContext(browser, 'dark');
    const darkPage = await dark.newPage();
    darkPage.on('pageerror', (error) => pageErrors.push(error.message));
    await darkPage.goto(lab.url);
    await darkPage.getByRole('button', { name: 'Iris' }).click();
    await darkPage.getByRole('combobox', { name: 'Target' }).waitFor();
    await shot('ui-data-dark', darkPage);
    await view('Model', darkPage);
    await shot('ui-model-dark', darkPage);
    await view('Runs', darkPage);
    await darkPage.getByRole('button', { name: 'Details of rings 12-8 relu/tanh · lr 0.05 · 8 epochs · no early stop' }).click();
    await darkPage.getByRole('button', { name: 'Open', exact: true }).click();
    await darkPage.getByRole('table', { name: /^Confusion matrix/ }).waitFor();
    await shot('ui-train-dark', darkPage);
    await view('Runs', darkPage);
    await shot('ui-runs-dark', darkPage);
    await dark.close();
  });

  it('opens a 2,000-column file drawing only the cells in view', async () => {
    await view('Data');
    const header = Array.from({ length: 2000 }, (_, i) => `c${i}`).join(',');
    const rows = Array.from({ length: 300 }, (_, r) => Array.from({ length: 2000 }, (_, c) => (r * 7 + c) % 13).join(','));
    const started = Date.now();
    await dropFile(page.locator('body'), 'wide.csv', `${header}\n${rows.join('\n')}\n`);
    await page.getByRole('grid', { name: 'Preview of wide.csv' }).waitFor({ timeout: 60_000 });
    const opened = Date.now() - started;
    const cells = await page.getByRole('gridcell').count();
    const columnRows = await page.getByRole('table', { name: 'Columns' }).getByRole('row').count();
    console.log(`A 2,000 × 300 file opened and drew in ${opened} ms: ${cells} preview cells and ${columnRows} column rows in the page.`);
    expect(cells).toBeLessThan(1000);
    expect(columnRows).toBeLessThan(40);
    await page.getByRole('grid', { name: 'Preview of wide.csv' }).evaluate((grid) => { (grid as unknown as { scrollLeft: number }).scrollLeft = 10_000_000; });
    await page.getByRole('columnheader', { name: 'c1999' }).waitFor();
    const deltas = await frameTimes(page, 1000);
    expect(deltas.length).toBeGreaterThan(10);
  });

  it('raised no page errors', () => {
    expect([...opened.pageErrors, ...pageErrors]).toEqual([]);
    expect(status(page)).toBeTruthy();
  });
});
