import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli } from '../support/cli';
import { openLabPage, type OpenedLab } from './support/browser';

/**
 * Predictions as the file has them, in a browser against `nnlab serve`: a run's evaluation and the Predict
 * view show each cell's own text (0, not a value decoded back from its scaled input; 1.51761, not 1.518;
 * "  7 " with its spaces), the truth and the prediction come first so a 13-column file keeps them in view at
 * 1400 px, and a grid scrolled sideways draws no cell under its row numbers.
 */
const SHOTS = mkdtempSync(join(tmpdir(), 'nnlab-predictions-as-filed-'));

/** Column texts by row parity; `kind` is the class, the last column. */
const TEXTS: Record<string, [string, string]> = {
  ba: ['0', '1.5'],
  ri: ['1.51761', '1.52101'],
  tiny: ['1e-3', '2e-3'],
  spaced: ['"  7 "', '"  8 "'],
};
const SHOWN: Record<string, string[]> = { ba: ['0', '1.5'], ri: ['1.51761', '1.52101'], tiny: ['1e-3', '2e-3'], spaced: ['  7 ', '  8 '] };
const FILLERS = Array.from({ length: 8 }, (_, i) => `f${i + 1}`);

function cellsCsv(rows: number): string {
  const header = [...Object.keys(TEXTS), ...FILLERS, 'kind'];
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const odd = r % 2;
    lines.push([...Object.values(TEXTS).map((t) => t[odd]!), ...FILLERS.map((_, i) => String((r * (i + 3)) % 7)), odd ? 'odd' : 'even'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

let page: Page;
let opened: OpenedLab;
let scratch = '';
let runName = '';
const csv = cellsCsv(60);

/** The grid of that name, once shown and scrolled into the window. */
async function shownGrid(name: string): Promise<Locator> {
  const grid = page.getByRole('grid', { name });
  await grid.waitFor();
  await grid.scrollIntoViewIfNeeded();
  return grid;
}

async function headers(grid: Locator): Promise<string[]> {
  return grid.getByRole('columnheader').allTextContents();
}

/** The texts of one column of the grid, by its header. */
async function columnTexts(grid: Locator, name: string): Promise<string[]> {
  const all = await headers(grid);
  const index = all.indexOf(name);
  expect(index, `no column ${name} in ${all.join(', ')}`).toBeGreaterThan(0);
  return grid.locator(`[role="gridcell"][aria-colindex="${index + 1}"]`).allTextContents();
}

/** Columns whose header lies wholly inside the grid's box, without scrolling. */
async function columnsInView(grid: Locator): Promise<string[]> {
  const box = (await grid.boundingBox())!;
  const inView: string[] = [];
  for (const header of await grid.getByRole('columnheader').all()) {
    const b = (await header.boundingBox())!;
    if (b.x >= box.x && b.x + b.width <= box.x + box.width) inView.push((await header.textContent()) ?? '');
  }
  return inView;
}

/** Scrolls the grid sideways, then the boxes of the cells drawn and of the row-number column. */
async function overlapAfterScroll(grid: Locator, by: number): Promise<{ indexRight: number; cellLefts: number[] }> {
  await grid.evaluate((element, x) => { (element as unknown as { scrollLeft: number }).scrollLeft = x; }, by);
  await grid.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const index = (await grid.locator('[role="rowheader"], [role="columnheader"][aria-colindex="1"]').first().boundingBox())!;
  const cellLefts: number[] = [];
  for (const cell of await grid.locator('[role="gridcell"], [role="columnheader"]:not([aria-colindex="1"])').all()) {
    const b = (await cell.boundingBox())!;
    if (b.width > 0) cellLefts.push(b.x);
  }
  return { indexRight: index.x + index.width, cellLefts };
}

declare function requestAnimationFrame(callback: (now: number) => void): number;

describe.sequential('predictions show the file’s values', () => {
  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'nnlab-e2e-as-filed-'));
    scratch = mkdtempSync(join(tmpdir(), 'nnlab-e2e-as-filed-files-'));
    const file = join(scratch, 'cells.csv');
    writeFileSync(file, csv);
    const trained = await runCli(['train', file, '--target', 'kind', '--epochs', '5', '--name', 'cells', '--home', home, '--json']);
    expect(trained.code, trained.stderr.join('\n')).toBe(0);
    ({ name: runName } = lastJson<{ name: string }>(trained));
    opened = await openLabPage(home);
    page = opened.page;
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  afterAll(async () => {
    await opened?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('shows a run’s held-out rows as the file has them, the truth and the prediction first', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: `Details of ${runName}` }).click();
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const grid = await shownGrid('Predictions against the truth');
    expect((await headers(grid)).slice(0, 5)).toEqual(['#', 'true kind', 'prediction', 'probability', 'right?']);
    for (const [column, texts] of Object.entries(SHOWN)) {
      const shown = await columnTexts(grid, column);
      expect(shown.length).toBeGreaterThan(0);
      expect(new Set(shown), column).toEqual(new Set(texts));
    }
    expect(await columnsInView(grid)).toEqual(expect.arrayContaining(['true kind', 'prediction']));
    await page.screenshot({ path: join(SHOTS, 'evaluation.png'), fullPage: true });
  });

  it('keeps every cell of the evaluation clear of the row numbers when scrolled sideways', async () => {
    const grid = page.getByRole('grid', { name: 'Predictions against the truth' });
    for (const by of [50, 205, 333]) {
      const { indexRight, cellLefts } = await overlapAfterScroll(grid, by);
      expect(cellLefts.length).toBeGreaterThan(0);
      expect(Math.min(...cellLefts)).toBeGreaterThanOrEqual(indexRight - 0.5);
    }
    await page.screenshot({ path: join(SHOTS, 'evaluation-scrolled.png'), fullPage: true });
  });

  it('predicts the same file in the Predict view with every cell as the file has it, the truth and prediction in view', async () => {
    await page.getByRole('tab', { name: 'Predict' }).click();
    await page.getByRole('button', { name: "Use this run's model", exact: true }).click();
    await page.getByTestId('predict-model').filter({ hasText: runName }).waitFor();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: 'Open CSV to predict…', exact: true }).click(),
    ]);
    await chooser.setFiles({ name: 'cells.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const grid = await shownGrid('Predictions of cells.csv');
    expect((await headers(grid)).slice(0, 5)).toEqual(['#', 'kind', 'prediction', 'prob_even', 'prob_odd']);
    for (const [column, texts] of Object.entries(SHOWN)) {
      const shown = await columnTexts(grid, column);
      expect(shown.length).toBeGreaterThan(4);
      expect(shown, column).toEqual(shown.map((_, r) => texts[r % 2]));
    }
    expect(await columnsInView(grid)).toEqual(expect.arrayContaining(['kind', 'prediction']));
    await page.screenshot({ path: join(SHOTS, 'predict.png'), fullPage: true });
    const { indexRight, cellLefts } = await overlapAfterScroll(grid, 170);
    expect(Math.min(...cellLefts)).toBeGreaterThanOrEqual(indexRight - 0.5);
    await page.screenshot({ path: join(SHOTS, 'predict-scrolled.png'), fullPage: true });
  });

  it('raised no page errors', () => {
    expect(opened.pageErrors).toEqual([]);
  });
});
