import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunListItem } from '../../common/lab-api';
import { harnessPages } from './support';

/** The cross-validation field, its results and the grouped runs table, mounted alone in Chromium. */
interface Harness {
  folds(): number | null;
  set(changes: Record<string, unknown>): void;
}

const { open } = harnessPages();

const folds = (page: Page) => page.evaluate(() => (globalThis as unknown as { harness: Harness }).harness.folds());
const set = (page: Page, changes: Record<string, unknown>) => page.evaluate((c) => (globalThis as unknown as { harness: Harness }).harness.set(c), changes);

function run(id: string, name: string, test: { loss: number; accuracy: number }, experiment?: RunListItem['experiment']): RunListItem {
  return {
    id, name, status: 'finished', dataset: '/data/iris.csv', created: '2026-12-01T10:00:00.000Z', updated: '2026-12-01T10:00:00.000Z',
    task: 'multiclass', target: 'species', architecture: '4-16-8-3', epochs: 40, val: test, test, metric: { name: 'accuracy', value: test.accuracy },
    ...(experiment ? { experiment } : {}),
  };
}

describe('Cross-validation folds field', () => {
  it('is off when empty or 1, passes on 2 or more, and refuses what is not a number of folds', async () => {
    const page = await open('folds');
    const field = page.getByRole('spinbutton', { name: 'Cross-validation folds', exact: true });
    expect(await field.inputValue()).toBe('');
    expect(await folds(page)).toBeNull();
    await field.fill('5');
    expect(await folds(page)).toBe(5);
    await expect(page.getByText('Start trains 5 runs, each tested on one stratified fold').isVisible()).resolves.toBe(true);
    await field.fill('1');
    expect(await folds(page)).toBeNull();
    await field.fill('2.5');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Cross-validation folds must be a whole number from 2 to 1,000, or empty for a single run.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await folds(page)).toBeNull();
    await field.fill('');
    expect(await folds(page)).toBeNull();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.close();
  });
});

describe('Cross-validation results', () => {
  it('shows every test metric’s mean ± sample sd over the folds, and each fold', async () => {
    const page = await open('cv-results');
    await set(page, { results: [
      { fold: 1, run: 'a', status: 'finished', test: { loss: 0.1, accuracy: 0.9 } },
      { fold: 2, run: 'b', status: 'finished', test: { loss: 0.3, accuracy: 1 } },
      { fold: 3, run: 'c', status: 'finished', test: { loss: 0.2, accuracy: 0.95, mae: 0.5 } },
    ] });
    const results = page.getByRole('region', { name: 'Cross-validation results' });
    await expect(results.getByRole('heading').textContent()).resolves.toBe('iris 3-fold: 3 of 3 folds');
    const summary = results.getByRole('table', { name: 'Mean and standard deviation over the folds' });
    // loss: mean 0.2, sd 0.1; accuracy: mean 0.95, sd 0.05 (n − 1); a metric only one fold has gets no sd.
    expect(await summary.getByRole('row', { name: /^loss/ }).getByRole('cell').textContent()).toBe('0.2 ± 0.1');
    expect(await summary.getByRole('row', { name: /^accuracy/ }).getByRole('cell').textContent()).toBe('95.0 % ± 5.0 %');
    expect(await summary.getByRole('row', { name: /^MAE/ }).getByRole('cell').textContent()).toBe('0.5 ± —');
    expect(await results.getByRole('table', { name: "Each fold's test metrics" }).getByRole('row').count()).toBe(4);
    await page.close();
  });
});

describe('Runs table', () => {
  it('keeps an experiment’s folds together under its mean ± sd, in fold order, among the other runs', async () => {
    const page = await open('runs');
    const experiment = (fold: number) => ({ id: 'e1', name: 'iris 3-fold', fold, folds: 3 });
    await set(page, { runs: [
      run('r5', 'iris 3-fold · fold 3/3', { loss: 0.2, accuracy: 0.95 }, experiment(3)),
      run('r4', 'single run', { loss: 0.5, accuracy: 0.8 }),
      run('r3', 'iris 3-fold · fold 1/3', { loss: 0.1, accuracy: 0.9 }, experiment(1)),
      run('r2', 'older run', { loss: 0.4, accuracy: 0.85 }),
    ] });
    const group = page.getByRole('rowgroup', { name: 'Experiment iris 3-fold' });
    await expect(group.getByRole('rowheader').textContent()).resolves.toMatch(/iris 3-fold\s+cross-validation · 2 of 3 folds remain/);
    expect(await group.locator('[data-metric="accuracy"]').textContent()).toBe('test accuracy 92.5 % ± 3.5 %');
    const names = await page.getByRole('button', { name: /^Details of / }).allTextContents();
    expect(names).toEqual(['iris 3-fold · fold 1/3', 'iris 3-fold · fold 3/3', 'single run', 'older run']);
    expect(await group.getByRole('button', { name: /^Details of / }).count()).toBe(2);
    await page.close();
  });
});
