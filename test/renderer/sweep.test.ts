import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunListItem } from '../../common/lab-api';
import { harnessPages } from './support';

/** The Runs table's sweep groups and the comparison of two sweeps, mounted alone in Chromium. */
const { open } = harnessPages();

const set = (page: Page, changes: Record<string, unknown>) => page.evaluate((c) => (globalThis as unknown as { harness: { set(c: unknown): void } }).harness.set(c), changes);

function run(id: string, sweep: { id: string; name: string }, index: number, accuracy: number): RunListItem {
  const val = { loss: 1 - accuracy, accuracy };
  return {
    id, name: `${sweep.name} · seed ${index}/5`, status: 'finished', dataset: '/data/iris.csv', created: `2026-12-01T10:0${index}:00.000Z`, updated: '2026-12-01T10:00:00.000Z',
    task: 'multiclass', target: 'species', architecture: '4-16-3', epochs: 40, val, test: val, metric: { name: 'accuracy', value: accuracy },
    sweep: { ...sweep, index, seeds: 5 }, seed: index,
  };
}

// scipy.stats.ttest_rel(wide, narrow): t = 4.4907, p = 0.01090; the mean difference 0.022, its standard error 0.0049.
const NARROW = [0.90, 0.85, 0.88, 0.92, 0.87];
const WIDE = [0.93, 0.86, 0.91, 0.95, 0.88];
const runs = [
  ...WIDE.map((a, i) => run(`w${i + 1}`, { id: 's-wide', name: 'wide' }, i + 1, a)),
  ...NARROW.map((a, i) => run(`n${i + 1}`, { id: 's-narrow', name: 'narrow' }, i + 1, a)),
];

describe('Runs table', () => {
  it('keeps a sweep’s runs together under each final metric’s mean ± sd, by seed', async () => {
    const page = await open('runs');
    await set(page, { runs: [run('n3', { id: 's-narrow', name: 'narrow' }, 3, 0.88), run('n1', { id: 's-narrow', name: 'narrow' }, 1, 0.9), run('n2', { id: 's-narrow', name: 'narrow' }, 2, 0.85)] });
    const group = page.getByRole('rowgroup', { name: 'Sweep narrow' });
    await expect(group.getByRole('rowheader').textContent()).resolves.toMatch(/narrow\s+seed sweep · 3 of 5 seeds remain/);
    // Mean 0.8767, sd 0.0252 (n − 1).
    expect(await group.locator('[data-metric="val.accuracy"]').textContent()).toBe('validation accuracy 87.7 % ± 2.5 %');
    expect(await group.getByRole('button', { name: /^Details of / }).allTextContents()).toEqual(['narrow · seed 1/5', 'narrow · seed 2/5', 'narrow · seed 3/5']);
    await page.close();
  });
});

describe('Compare sweeps', () => {
  it('pairs two sweeps by seed and says which is better and how sure', async () => {
    const page = await open('sweep-compare');
    await set(page, { runs });
    const region = page.getByRole('region', { name: 'Compare sweeps' });
    await region.getByLabel('Sweep A').selectOption('s-narrow');
    await region.getByLabel('Sweep B').selectOption('s-wide');
    await expect(region.getByRole('status').textContent()).resolves.toBe('wide is better on validation accuracy by 0.022 ± 0.0049 (paired t-test over 5 seeds, p = 0.011).');
    const table = region.getByRole('table', { name: 'Paired t-test' });
    expect(await table.getByRole('row', { name: /^t/ }).getByRole('cell').textContent()).toBe('4.49');
    expect(await table.getByRole('row', { name: /^Degrees of freedom/ }).getByRole('cell').textContent()).toBe('4');
    await region.getByLabel('Metric').selectOption('val.loss');
    await expect(region.getByRole('status').textContent()).resolves.toMatch(/^wide is better on validation loss by 0.022/);
    await page.close();
  });
});
