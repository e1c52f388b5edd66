import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelToOnnx } from '../../main/export/onnx-export';
import { loadModel } from '../../main/model-file';
import { dataset, lastJson, runCli } from '../support/cli';
import { openLabPage, type OpenedLab } from './support/browser';
import { repoRoot } from './support/serve';

/**
 * Predicting new rows in a browser against `nnlab serve`: a run trained in the lab folder, its model used
 * from the Runs view, a CSV file without the target column, the predictions table with the note about the
 * column the model does not use, the download (the file `nnlab predict` writes), an uploaded ONNX model,
 * and a file that lacks columns, refused with their names.
 */
const results = join(repoRoot, 'test-results');
mkdirSync(results, { recursive: true });

/** Iris rows without the species, with a column the model does not use. */
const NEW_FLOWERS = 'sepal_length,sepal_width,petal_length,petal_width,note\n5.1,3.5,1.4,0.2,first\n6.9,3.1,5.4,2.3,second\n5.0,3.4,1.5,0.2,third\n';

let page: Page;
let runName = '';
let modelPath = '';
let onnxPath = '';
let scratch = '';
const pageErrors: string[] = [];

async function chooseFile(button: string, name: string, buffer: Buffer, mimeType: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  await chooser.setFiles({ name, mimeType, buffer });
}

describe.sequential('predicting new rows in a browser', () => {
  let opened: OpenedLab;
  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'nnlab-e2e-predict-'));
    scratch = mkdtempSync(join(tmpdir(), 'nnlab-e2e-predict-files-'));
    const trained = await runCli(['train', dataset('iris.csv'), '--epochs', '60', '--seed', '2', '--home', home, '--json']);
    expect(trained.code, trained.stderr.join('\n')).toBe(0);
    ({ name: runName, model: modelPath } = lastJson<{ name: string; model: string }>(trained));
    onnxPath = join(scratch, 'iris.onnx');
    writeFileSync(onnxPath, modelToOnnx(await loadModel(modelPath)));
    opened = await openLabPage(home);
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('uses a run’s model from the Runs view', async () => {
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: `Details of ${runName}` }).click();
    await page.getByRole('button', { name: "Use this run's model", exact: true }).click();
    await page.getByRole('tab', { name: 'Predict', selected: true }).waitFor();
    await expect(page.getByTestId('predict-model').textContent()).resolves.toContain(runName);
    await page.getByText('Predicts a class in “species” (setosa, versicolor, virginica) from 4 columns: sepal_length, sepal_width, petal_length, petal_width.').waitFor();
  });

  it('predicts a CSV file without the target column, noting the column the model does not use', async () => {
    await chooseFile('Open CSV to predict…', 'new-flowers.csv', Buffer.from(NEW_FLOWERS), 'text/csv');
    const grid = page.getByRole('grid', { name: 'Predictions of new-flowers.csv' });
    await grid.waitFor();
    const headers = await grid.getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['#', 'prediction', 'prob_setosa', 'prob_versicolor', 'prob_virginica', 'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'note']);
    const predictions = await grid.locator('[role="gridcell"][aria-colindex="2"]').allTextContents();
    expect(predictions).toEqual(['setosa', 'virginica', 'setosa']);
    const note = page.getByTestId('unexpected-columns');
    await expect(note.textContent()).resolves.toMatch(/The model does not use the column “note” of new-flowers\.csv; it stays in the predictions as it is\./);
    await page.getByText('It has no “species” column: only the predictions say what it is.').waitFor();
    await page.getByText('3 of 3 rows predicted').waitFor();
    await page.screenshot({ path: join(results, 'ui-predict-light.png'), fullPage: true });
  });

  it('downloads the predictions: the file `nnlab predict` writes', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download predictions', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('new-flowers-predictions.csv');
    const saved = readFileSync((await download.path())!, 'utf8');
    const file = join(scratch, 'new-flowers.csv');
    writeFileSync(file, NEW_FLOWERS);
    const out = join(scratch, 'cli-predictions.csv');
    const cli = await runCli(['predict', modelPath, file, '--out', out]);
    expect(cli.code, cli.stderr.join('\n')).toBe(0);
    expect(saved).toBe(readFileSync(out, 'utf8'));
    const rows = parse(saved, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.note, r.prediction])).toEqual([['first', 'setosa'], ['second', 'virginica'], ['third', 'setosa']]);
  });

  it('opens an ONNX model file, which predicts the same rows again', async () => {
    await chooseFile('Open model…', 'iris.onnx', readFileSync(onnxPath), 'application/octet-stream');
    await page.getByTestId('predict-model').filter({ hasText: 'iris.onnx' }).waitFor();
    await expect(page.getByTestId('predict-model').textContent()).resolves.toContain('ONNX model');
    const grid = page.getByRole('grid', { name: 'Predictions of new-flowers.csv' });
    await grid.waitFor();
    await expect.poll(() => grid.locator('[role="gridcell"][aria-colindex="2"]').allTextContents()).toEqual(['setosa', 'virginica', 'setosa']);
  });

  it('shows the metrics on a file that holds the truth, with the per-class table', async () => {
    await chooseFile('Open CSV to predict…', 'iris.csv', readFileSync(dataset('iris.csv')), 'text/csv');
    const metrics = page.getByRole('region', { name: 'Metrics on this file', exact: true });
    await metrics.waitFor();
    await metrics.getByText('150 rows judged against “species”').waitFor();
    await metrics.getByRole('table', { name: /^Confusion matrix/ }).waitFor();
    const report = metrics.getByRole('table', { name: 'Per-class metrics', exact: true });
    const supports = await report.locator('tbody tr td:last-child').allTextContents();
    expect(supports).toEqual(['50', '50', '50']);
    expect(await report.getByRole('rowheader').allTextContents()).toEqual(['setosa', 'versicolor', 'virginica', 'macro avg', 'weighted avg', 'balanced accuracy']);
    await page.screenshot({ path: join(results, 'ui-predict-metrics-light.png'), fullPage: true });
  });

  it('refuses a file that lacks columns the model needs, naming them', async () => {
    await chooseFile('Open CSV to predict…', 'partial.csv', Buffer.from('sepal_length,sepal_width,petal\n5.1,3.5,1.4\n'), 'text/csv');
    const alert = page.getByRole('alert').filter({ hasText: 'lacks columns' });
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toBe('partial.csv lacks columns the model needs: "petal_length", "petal_width". It has a column the model does not use: "petal".');
    await expect(page.getByRole('grid', { name: /^Predictions of/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Download predictions' }).count()).resolves.toBe(0);
  });

  it('raised no page errors', () => {
    expect([...opened.pageErrors, ...pageErrors]).toEqual([]);
  });
});
