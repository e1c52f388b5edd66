import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { canvasFingerprint, openExample, waitForStatus } from './support/page-helpers';

// The functions given to evaluate() run in the page; these describe the browser globals they use.
declare const document: { documentElement: unknown };
declare function getComputedStyle(element: unknown): { getPropertyValue(name: string): string };
interface CanvasLike { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } }

/**
 * How many of the canvas's pixels take each class colour: a pixel of the plane is the panel colour blended
 * toward one class's colour, so it lies on the line from the one to the other.
 */
async function classShares(canvas: Locator, classes: number): Promise<number[]> {
  return canvas.evaluate((element: unknown, count) => {
    const c = element as CanvasLike;
    const hex = (name: string) => {
      const m = /#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(getComputedStyle(document.documentElement).getPropertyValue(name));
      return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : [128, 128, 128];
    };
    const background = hex('--panel');
    const directions = Array.from({ length: count }, (_, k) => hex(`--class-${k}`).map((v, i) => v - background[i]!));
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const shares = new Array<number>(count).fill(0);
    for (let p = 0; p < data.length; p += 4) {
      const d = [data[p]! - background[0]!, data[p + 1]! - background[1]!, data[p + 2]! - background[2]!];
      const size = Math.hypot(...d);
      if (size < 12) continue;
      let best = -1;
      let bestCos = 0.97;
      directions.forEach((dir, k) => {
        const cos = (d[0]! * dir[0]! + d[1]! * dir[1]! + d[2]! * dir[2]!) / (size * Math.hypot(...dir));
        if (cos > bestCos) [best, bestCos] = [k, cos];
      });
      if (best >= 0) shares[best]! += 4 / data.length;
    }
    return shares;
  }, classes);
}

async function tickValues(group: Locator): Promise<number[]> {
  const texts = await group.locator('span').allTextContents();
  return texts.map((t) => Number(t.replace('−', '-').replace(/,/g, '')));
}

/** "Decision boundary … with 110 training rows (filled) and 30 test rows (hollow)": the rows drawn of each kind. */
function markerCounts(label: string): { training: number; test: number } {
  const m = /with (\d+) training rows \(filled\) and (\d+) test rows \(hollow\)/.exec(label);
  if (!m) throw new Error(`The boundary does not say which rows it draws: "${label}"`);
  return { training: Number(m[1]), test: Number(m[2]) };
}

describe.sequential('the decision boundary of a dataset of any width', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-boundary-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  async function train(example: string): Promise<Locator> {
    await openExample(page, example);
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('30');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Finished · /, 120_000);
    const region = page.getByRole('region', { name: 'Decision boundary' });
    await region.getByRole('img', { name: /^Decision boundary over / }).waitFor();
    return region;
  }

  it('draws iris over its principal plane and over two chosen columns, in their own units', async () => {
    const region = await train('Iris');
    await region.getByRole('combobox', { name: 'Plane' }).selectOption({ label: 'PCA (all features)' });
    const pcaImage = region.getByRole('img', { name: /^Decision boundary over PC1 \(\d+(\.\d+)? % of variance\) and PC2 \(\d+(\.\d+)? % of variance\)/ });
    await pcaImage.waitFor();
    const pcaCounts = markerCounts((await pcaImage.getAttribute('aria-label'))!);
    expect(pcaCounts.training).toBeGreaterThan(0);
    expect(pcaCounts.test).toBeGreaterThan(0);
    // Setosa lies apart from the other two species on the first component: the plane takes several class colours.
    expect((await classShares(pcaImage.locator('canvas'), 3)).filter((share) => share > 0.05).length).toBeGreaterThan(1);
    const pc1 = await tickValues(region.getByRole('group', { name: /^X axis: PC1/ }));
    expect(pc1.length).toBeGreaterThan(1);
    expect(pc1.every(Number.isFinite)).toBe(true);
    // PC1 of the scaled measurements holds most of their variance (about 73%).
    const pc1Share = Number(/PC1 \((\d+(?:\.\d+)?) %/.exec((await pcaImage.getAttribute('aria-label'))!)![1]);
    expect(pc1Share).toBeGreaterThan(60);
    expect(pc1Share).toBeLessThan(85);
    await region.screenshot({ path: join(tmpdir(), 'nnlab-boundary-pca.png') });

    await region.getByRole('combobox', { name: 'Plane' }).selectOption({ label: 'Two columns' });
    await region.getByRole('combobox', { name: 'X axis column' }).selectOption('petal_length');
    await region.getByRole('combobox', { name: 'Y axis column' }).selectOption('petal_width');
    const image = region.getByRole('img', { name: /^Decision boundary over petal_length and petal_width/ });
    await image.waitFor();
    expect(markerCounts((await image.getAttribute('aria-label'))!)).toEqual(pcaCounts);
    expect((await classShares(image.locator('canvas'), 3)).filter((share) => share > 0.05).length).toBeGreaterThan(1);
    // Ticks in centimetres: petal lengths run from 1 to 6.9, petal widths from 0.1 to 2.5 (scaled, both would be about −2 to 2).
    const x = await tickValues(region.getByRole('group', { name: 'X axis: petal_length' }));
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeGreaterThanOrEqual(6);
    expect(Math.max(...x)).toBeLessThanOrEqual(8);
    const y = await tickValues(region.getByRole('group', { name: 'Y axis: petal_width' }));
    expect(Math.max(...y)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...y)).toBeLessThanOrEqual(3);
    await region.getByText(/^Other features held at: sepal_length [\d.]+, sepal_width [\d.]+ /).waitFor();
    const legend = region.getByRole('list', { name: 'Decision boundary legend' });
    expect(await legend.getByRole('listitem').allTextContents()).toEqual(['setosa', 'versicolor', 'virginica', 'training', 'test']);
    await region.screenshot({ path: join(tmpdir(), 'nnlab-boundary-columns.png') });
    expect(opened.pageErrors).toEqual([]);
  });

  it('follows the weights while the run trains', async () => {
    await openExample(page, 'Iris');
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('500');
    await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: '10 steps/s' });
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Training · /);
    const region = page.getByRole('region', { name: 'Decision boundary' });
    await region.getByRole('combobox', { name: 'Plane' }).selectOption({ label: 'PCA (all features)' });
    const canvas = region.getByRole('img', { name: /^Decision boundary over PC1 / }).locator('canvas');
    const before = await canvasFingerprint(canvas);
    await expect.poll(() => canvasFingerprint(canvas), { timeout: 60_000 }).not.toBe(before);
    await page.getByRole('combobox', { name: 'Speed' }).selectOption({ label: 'Full speed' });
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForStatus(page, /^Stopped · /);
  });

  it('draws the penguins with their categories held at their most common value', async () => {
    const region = await train('Palmer penguins');
    await region.getByRole('combobox', { name: 'Plane' }).selectOption({ label: 'Two columns' });
    await region.getByRole('combobox', { name: 'X axis column' }).selectOption('Beak Length (mm)');
    await region.getByRole('combobox', { name: 'Y axis column' }).selectOption('Flipper Length (mm)');
    const image = region.getByRole('img', { name: /^Decision boundary over Beak Length \(mm\) and Flipper Length \(mm\)/ });
    await image.waitFor();
    // The example predicts Sex from the rest: Species and Island, categories, are held at their most common values
    // (Adelie: 152 of 344 penguins; Biscoe: 168), the other two measurements at their medians.
    await region.getByText(/^Other features held at: Species Adelie, Island Biscoe, Beak Depth \(mm\) [\d.]+, Body Mass \(g\) [\d,.]+ /).waitFor();
    expect((await classShares(image.locator('canvas'), 2)).filter((share) => share > 0.05).length).toBeGreaterThan(1);
    const x = await tickValues(region.getByRole('group', { name: 'X axis: Beak Length (mm)' }));
    expect(Math.max(...x)).toBeGreaterThan(50);
    const counts = markerCounts((await image.getAttribute('aria-label'))!);
    expect(counts.training).toBeGreaterThan(0);
    expect(counts.test).toBeGreaterThan(0);
    await region.getByRole('combobox', { name: 'Plane' }).selectOption({ label: 'PCA (all features)' });
    await region.getByRole('img', { name: /^Decision boundary over PC1 / }).waitFor();
    expect(opened.pageErrors).toEqual([]);
  });
});
