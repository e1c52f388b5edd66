import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { openExample, stepOf, waitForStatus } from './support/page-helpers';

/** "Step in detail" in the Train view: one mini-batch, its forward pass, backward pass and update, layer by layer. */
describe.sequential('a step in detail in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-step-detail-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('trains one mini-batch and shows each layer’s matrices with their shapes, and the rows of the batch', async () => {
    await openExample(page, 'Iris');
    await page.getByRole('tab', { name: 'Train' }).click();
    // The extra button still leaves every control of the header clear of the export menu beside it.
    const exportBox = (await page.getByRole('button', { name: 'Export model…' }).boundingBox())!;
    for (const name of ['Start', 'Step', 'Step in detail', 'Stop', 'Reset']) {
      const box = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      const apart = box.x + box.width <= exportBox.x || box.y + box.height <= exportBox.y || exportBox.y + exportBox.height <= box.y;
      expect(apart, name).toBe(true);
    }
    await page.getByRole('button', { name: 'Step in detail' }).click();
    const region = page.getByRole('region', { name: 'Backpropagation step' });
    await region.getByRole('heading', { name: 'Backpropagation step 1' }).waitFor();
    expect(stepOf(await waitForStatus(page, /^Paused · /))).toBe(1);

    // The first layer of 4 → 64 → 32 → 3 on a batch of 32 rows: the batch, W, Z and A with their shapes and formulas.
    const first = region.getByRole('region', { name: 'Layer 1' });
    await first.getByRole('heading', { name: 'Layer 1 · ReLU (4 → 64)' }).waitFor();
    for (const name of ['X 32 × 4', 'W 4 × 64', 'Z 32 × 64', 'A 32 × 64', 'dA 32 × 64', 'dZ 32 × 64', 'dW 4 × 64', 'db 1 × 64', 'W after 4 × 64']) {
      expect(await first.getByRole('figure', { name, exact: true }).count(), name).toBe(1);
    }
    const weights = first.getByRole('figure', { name: 'W 4 × 64', exact: true });
    expect(await weights.getByRole('row').count()).toBe(4);
    expect(await weights.getByRole('row').first().getByRole('cell').count()).toBe(8);
    expect(await weights.textContent()).toMatch(/first 4 × 8 of 4 × 64; min -?[\d.e-]+, max/);
    expect(await first.getByRole('figure', { name: 'Z 32 × 64', exact: true }).textContent()).toContain('Z = X·W + b');
    // The default optimiser, Adam, shows its rule and its moments.
    expect(await first.getByRole('list', { name: 'Update of W' }).textContent()).toContain('m ← 0.9·m + (1 − 0.9)·dW');
    expect(await first.getByRole('figure', { name: 'v (second moment) of W, after 4 × 64', exact: true }).count()).toBe(1);
    // The output layer's dZ comes from the loss.
    const output = region.getByRole('region', { name: 'Layer 3' });
    expect(await output.getByRole('figure', { name: 'dZ 32 × 3', exact: true }).textContent()).toContain('dZ = (A − Y) / n');
    expect(await output.getByRole('figure', { name: /^dA / }).count()).toBe(0);

    const rows = region.getByRole('region', { name: 'Rows of the batch' });
    const listed = (await rows.textContent())!.match(/Training rows \(from 0\): ([\d, ]+)/)![1]!.split(',').map((s) => Number(s.trim()));
    expect(listed).toHaveLength(32);
    expect(new Set(listed).size).toBe(32);
    expect(listed.every((row) => Number.isInteger(row) && row >= 0 && row < 150)).toBe(true);
    await first.screenshot({ path: join(tmpdir(), 'nnlab-step-detail.png') });

    // A second step in detail starts from the weights the first one left.
    const afterFirst = await first.getByRole('figure', { name: 'W after 4 × 64', exact: true }).getByRole('cell').allTextContents();
    await page.getByRole('button', { name: 'Step in detail' }).click();
    await region.getByRole('heading', { name: 'Backpropagation step 2' }).waitFor();
    expect(await weights.getByRole('cell').allTextContents()).toEqual(afterFirst);
    expect(stepOf(await waitForStatus(page, /^Paused · .*step 2\b/))).toBe(2);
    expect(opened.pageErrors).toEqual([]);
  });
});
