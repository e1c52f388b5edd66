import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, lastJson, runCli } from '../support/cli';
import { openLabPage, type OpenedLab } from './support/browser';

/**
 * Runs that can be compared, at 1024×700: the table's Id and Test columns, names that say what differs, the
 * compare chart's x axis and loss axes (read from the page and from the canvas's pixels), the settings diff in
 * the form's labels, every view without a cut column, and a header naming the shown run's own dataset.
 */
const SCREENSHOTS = mkdtempSync(join(tmpdir(), 'nnlab-runs-shots-'));
const SEED = ['--layers', '4', '--activation', 'sigmoid', '--optimizer', 'sgd', '--lr', '1', '--batch', 'full', '--init', 'uniform',
  '--no-bias', '--no-standardize', '--val', '0', '--test', '0'];
const SHORT_NAME = 'seed-xor 4 sigmoid · sgd lr 1 · sse · full batch · 36 epochs';

interface Trained { run: string; name: string; epochs: number; test: { accuracy: number } | null }
interface ChartDescription { x: string; losses: string; y: string; y2: string | null; lines: { label: string; axis: string; points: number; first: number | null }[] }

// The page's globals the pixel reader uses (the tests are type-checked with Node's types, not the DOM's).
interface CanvasLike { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }

let opened: OpenedLab;
let page: Page;
const runs: Record<'short' | 'short2' | 'long' | 'mse' | 'iris', Trained> = {} as never;

async function train(args: string[]): Promise<Trained> {
  const result = await runCli(['train', ...args, '--home', opened.lab.home, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  return lastJson<Trained>(result);
}

async function shot(name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The rightmost column, as a fraction of the canvas's width, holding pixels near `rgb` in the plot's middle band (below the legend). */
async function rightmostOf(canvas: Locator, rgb: [number, number, number]): Promise<number> {
  return canvas.evaluate((element, color) => {
    const c = element as unknown as CanvasLike;
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let right = -1;
    for (let y = Math.floor(c.height * 0.2); y < Math.floor(c.height * 0.85); y++) {
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4;
        const d = Math.abs(data[i]! - color[0]) + Math.abs(data[i + 1]! - color[1]) + Math.abs(data[i + 2]! - color[2]);
        if (data[i + 3]! > 200 && d < 60 && x > right) right = x;
      }
    }
    return right / c.width;
  }, rgb);
}

async function chart(): Promise<ChartDescription> {
  return JSON.parse((await page.locator('[data-chart]').getAttribute('data-chart'))!) as ChartDescription;
}

async function noPageScroll(): Promise<void> {
  const width = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(1024);
}

describe.sequential('runs that can be compared, at 1024×700', () => {
  beforeAll(async () => {
    opened = await openLabPage(mkdtempSync(join(tmpdir(), 'nnlab-e2e-runs-')));
    page = opened.page;
    runs.short = await train([dataset('seed-xor.csv'), ...SEED, '--loss', 'sse', '--epochs', '36']);
    runs.short2 = await train([dataset('seed-xor.csv'), ...SEED, '--loss', 'sse', '--epochs', '36']);
    runs.long = await train([dataset('seed-xor.csv'), ...SEED, '--loss', 'bce', '--epochs', '1500', '--name', 'long xor']);
    runs.mse = await train([dataset('seed-xor.csv'), ...SEED, '--loss', 'mse', '--epochs', '50', '--name', 'mse xor']);
    runs.iris = await train([dataset('iris.csv'), '--layers', '8', '--epochs', '30']);
    await page.reload();
  }, 120_000);
  afterAll(async () => {
    await opened?.close();
  });

  it('names new runs by what differs from the defaults, and tells apart the runs that still share a name', async () => {
    expect(runs.short.name).toBe(SHORT_NAME);
    expect(runs.short2.name).toBe(SHORT_NAME);
    expect(runs.iris.name).toBe('iris 8 · 30 epochs');
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: `Details of ${SHORT_NAME} #2` }).waitFor();
    expect(await page.getByRole('button', { name: `Details of ${SHORT_NAME}`, exact: true }).count()).toBe(1);
    // The Predict view's list of runs tells them apart the same way.
    await page.getByRole('tab', { name: 'Predict' }).click();
    const options = await page.getByRole('combobox', { name: 'Run' }).locator('option').allTextContents();
    expect(options.filter((o) => o.startsWith(SHORT_NAME)).sort()).toEqual([SHORT_NAME, `${SHORT_NAME} #2`]);
    await page.getByRole('tab', { name: 'Runs' }).click();
  });

  it('shows a short id, the training, validation and test scores each under its own heading, "—" where there are no such rows', async () => {
    const table = page.getByRole('table', { name: 'Runs' });
    const headers = await table.getByRole('columnheader').allTextContents();
    expect(headers.map((h) => h.trim())).toEqual(['Compare', 'Id', 'Name', 'Date', 'Dataset', 'Architecture', 'Status', 'Parent', 'Training', 'Best validation', 'Test']);
    const cells = async (id: string) => (await table.getByRole('row').filter({ has: page.getByTitle(id, { exact: true }) }).getByRole('cell').allTextContents()).map((c) => c.trim());
    const xor = await cells(runs.short.run);
    expect(xor[1]).toBe(runs.short.run.slice(-4));
    // A run not forked has no parent.
    expect(xor[7]).toBe('');
    expect(xor[8]).toMatch(/^\d+\.\d %$/);
    expect(xor.slice(9)).toEqual(['—', '—']);
    const iris = await cells(runs.iris.run);
    expect(iris[10]).toBe(`${(runs.iris.test!.accuracy * 100).toFixed(1)} %`);
    expect(iris[9]).toMatch(/^\d+\.\d %$/);
    // One line per row: the date does not wrap, and no column is cut off at 1024 px.
    const dateCell = table.getByRole('row').filter({ has: page.getByTitle(runs.iris.run, { exact: true }) }).getByRole('cell').nth(3);
    const box = (await dateCell.boundingBox())!;
    expect(box.height).toBeLessThan(40);
    const fits = await table.evaluate((t) => {
      const el = t as unknown as { scrollWidth: number; parentElement: { clientWidth: number } };
      return el.scrollWidth <= el.parentElement.clientWidth;
    });
    expect(fits).toBe(true);
    await noPageScroll();
    await shot('runs-table');
  });

  it('draws a sum of squares and a cross-entropy on separate axes, saying so', async () => {
    await page.getByRole('checkbox', { name: `Compare ${SHORT_NAME}`, exact: true }).check();
    await page.getByRole('checkbox', { name: 'Compare long xor', exact: true }).check();
    await page.getByRole('heading', { name: 'Comparing 2 runs' }).waitFor();
    await page.getByRole('note').filter({ hasText: 'Losses of different kinds are drawn on separate axes: sum of squares (left), cross-entropy (right).' }).waitFor();
    await expect.poll(async () => (await chart()).lines.length).toBe(2);
    const described = await chart();
    expect(described).toMatchObject({ x: 'epochs', losses: 'separate', y: 'loss (sum of squares)', y2: 'loss (cross-entropy)' });
    expect(described.lines).toMatchObject([
      { label: `${SHORT_NAME} · training`, axis: 'y', points: 36 },
      { label: 'long xor · training', axis: 'y2', points: runs.long.epochs },
    ]);
    expect(described.lines[0]!.first).toBeGreaterThan(1.2);
  });

  it('divides each run\'s loss by its first epoch\'s when three kinds are ticked, saying so', async () => {
    await page.getByRole('checkbox', { name: 'Compare mse xor', exact: true }).check();
    await page.getByRole('heading', { name: 'Comparing 3 runs' }).waitFor();
    await page.getByRole('note').filter({ hasText: /^Losses of 3 kinds \(sum of squares, cross-entropy, mean squared error\) cannot share an axis as they are: each run's loss is divided by its first epoch's/ }).waitFor();
    await expect.poll(async () => (await chart()).lines.length).toBe(3);
    const described = await chart();
    expect(described).toMatchObject({ losses: 'normalised', y: 'loss ÷ first epoch’s loss', y2: null });
    expect(described.lines.map((l) => l.first)).toEqual([1, 1, 1]);
    await shot('compare-normalised');
    await page.getByRole('checkbox', { name: 'Compare mse xor', exact: true }).uncheck();
    await page.getByRole('heading', { name: 'Comparing 2 runs' }).waitFor();
  });

  it('puts a 36-epoch run beside a run of over a thousand epochs by fraction of training or by log epochs', async () => {
    const canvas = page.getByRole('img', { name: 'Loss by epoch of the selected runs' }).locator('canvas');
    await canvas.scrollIntoViewIfNeeded();
    const blue: [number, number, number] = [0x2f, 0x6f, 0xdb];
    const orange: [number, number, number] = [0xe0, 0x66, 0x2c];
    const select = page.getByRole('combobox', { name: 'X axis' });
    expect(await select.locator('option').allTextContents()).toEqual(['Epochs', 'Fraction of training', 'Epochs (log)']);
    await expect.poll(() => rightmostOf(canvas, orange)).toBeGreaterThan(0.8);
    const byEpoch = await rightmostOf(canvas, blue);
    await shot('compare-epochs');

    await select.selectOption({ label: 'Fraction of training' });
    await expect.poll(async () => (await chart()).x).toBe('fraction');
    await expect.poll(() => rightmostOf(canvas, blue)).toBeGreaterThan(0.8);
    await shot('compare-fraction');

    await select.selectOption({ label: 'Epochs (log)' });
    await expect.poll(async () => (await chart()).x).toBe('log');
    // log 36 / log 1300 ≈ 0.5 of the plot's width, against 36 / 1300 ≈ 0.03 on a linear axis.
    await expect.poll(() => rightmostOf(canvas, blue)).toBeGreaterThan(byEpoch + 0.25);
    const byLog = await rightmostOf(canvas, blue);
    expect(byLog).toBeLessThan(0.8);
    await shot('compare-log');
  });

  it('names the settings that differ by the form\'s labels', async () => {
    const differ = page.getByRole('table', { name: 'Settings that differ' });
    await differ.getByRole('rowheader', { name: 'Epochs', exact: true }).waitFor();
    const rows = (await differ.getByRole('rowheader').allTextContents()).map((r) => r.trim());
    expect(rows).toEqual(expect.arrayContaining(['Best validation', 'Test', 'Loss', 'Epochs']));
    expect(rows.filter((r) => /^[a-z]+[A-Z]/.test(r))).toEqual([]);
    const loss = (await differ.getByRole('row', { name: /^Loss/ }).getByRole('cell').allTextContents()).map((c) => c.trim());
    expect(loss).toEqual(['sum of squares', 'binary cross-entropy']);
    await noPageScroll();
  });

  it('names the dataset of the run on the bench in the header, not the file open on the Data view', async () => {
    await page.getByRole('tab', { name: 'Data' }).click();
    await page.getByRole('button', { name: 'Iris' }).click();
    await page.getByRole('combobox', { name: 'Target' }).waitFor();
    await page.getByText('dataset: Iris', { exact: true }).waitFor();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'Details of long xor' }).click();
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('tab', { name: 'Train', selected: true }).waitFor();
    // Opening the run puts its own dataset back on the bench, under the example's name, and the header says so.
    await page.getByText('long xor · dataset: Seed XOR table').waitFor();
    await shot('header-run-dataset');
  });

  it('lays every view out at 1024×700 without a page-wide scrollbar', async () => {
    expect(page.viewportSize()).toEqual({ width: 1024, height: 700 });
    for (const view of ['Data', 'Model', 'Train', 'Runs', 'Predict']) {
      await page.getByRole('tab', { name: view }).click();
      await page.getByRole('tab', { name: view, selected: true }).waitFor();
      await noPageScroll();
      await shot(`view-${view.toLowerCase()}`);
    }
    // The Runs view with a run's details: below the table at this width, and whole.
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: 'Details of iris 8 · 30 epochs' }).click();
    const details = page.getByRole('region', { name: 'Run iris 8 · 30 epochs' });
    await details.getByRole('region', { name: 'Baselines' }).waitFor();
    // Scrolled into view by choosing it, though it lies below the compare chart.
    await expect.poll(async () => (await details.getByRole('heading', { name: 'iris 8 · 30 epochs' }).boundingBox())?.y ?? -1).toBeGreaterThan(0);
    expect((await details.getByRole('heading', { name: 'iris 8 · 30 epochs' }).boundingBox())!.y).toBeLessThan(700);
    const box = (await details.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    await noPageScroll();
    await page.screenshot({ path: join(SCREENSHOTS, 'view-runs-details.png'), fullPage: true });
    expect(opened.pageErrors).toEqual([]);
  });
});
