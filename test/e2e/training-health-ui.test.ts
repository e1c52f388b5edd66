import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { openExample, waitForStatus } from './support/page-helpers';

/** How many pixels of a canvas have been painted (alpha above 0). */
function paintedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((c) => {
    const context = (c as unknown as { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } }; width: number; height: number });
    const { data } = context.getContext('2d').getImageData(0, 0, context.width, context.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted;
  });
}

/** The Train view's Training health: each layer's histograms over time, and warnings in the app's words. */
describe.sequential('training health in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-health-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('draws each layer’s weights, activations and gradients, and warns of inputs left unscaled, naming the checkbox to tick', async () => {
    await openExample(page, 'Palmer penguins');
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('20');
    await page.getByRole('checkbox', { name: 'Standardise numeric features' }).uncheck();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^(Finished|Diverged) · /);
    const health = page.getByRole('region', { name: 'Training health' });
    await expect.poll(() => health.getByRole('list', { name: 'Health warnings' }).isVisible()).toBe(true);
    const warnings = await health.getByRole('listitem').allTextContents();
    const unscaled = warnings.find((w) => w.startsWith('The inputs are not standardised'));
    // The body mass is in grams: thousands.
    expect(unscaled).toMatch(/Body Mass \(g\) \(about \d{4}\)/);
    expect(unscaled).toMatch(/tick Standardise numeric features\.$/);
    for (const warning of warnings) expect(warning).not.toMatch(/--[a-z]/);
    // One strip for each of weights, activations and gradients of every layer (the default: one hidden layer and the output).
    const strips = health.locator('canvas');
    const rows = await health.getByRole('row').count();
    expect(await strips.count()).toBe(3 * (rows - 1));
    expect(rows - 1).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < (await strips.count()); i++) expect(await paintedPixels(strips.nth(i))).toBeGreaterThan(0);
    await health.screenshot({ path: join(tmpdir(), 'nnlab-training-health.png') });
    expect(await health.getByRole('rowheader').first().textContent()).toMatch(/^Layer 1 · \d+ ReLU$/);
    expect(opened.pageErrors).toEqual([]);
  });

  it('shows no unscaled-input warning once the features are standardised again', async () => {
    await page.getByRole('checkbox', { name: 'Standardise numeric features' }).check();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Finished · /);
    const health = page.getByRole('region', { name: 'Training health' });
    await expect.poll(() => health.locator('canvas').count()).toBeGreaterThan(0);
    const text = await health.textContent();
    expect(text).not.toContain('The inputs are not standardised');
  });
});
