import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SnapshotLayer } from '../../common/lab-api';
import { formatNumber } from '../../renderer/src/lib/format';
import { connectLab, labSocketUrl, type SocketConstructor, type WsLabClient } from '../../renderer/src/lib/ws-client';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { labRuns } from './support/lab-runs';
import { openExample, waitForStatus } from './support/page-helpers';

/** The Model view's network diagram read by pointer and keyboard: weights, biases, activations and the units' planes. */
describe.sequential('reading the network diagram', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;
  let lab: WsLabClient;
  let snapshot: SnapshotLayer[];

  const spin = (name: string) => page.getByRole('spinbutton', { name, exact: true });
  const diagram = () => page.getByRole('figure', { name: /^Network diagram/ });
  const reading = () => page.getByRole('status', { name: 'Diagram reading' });
  const hiddenNodes = () => diagram().getByRole('img', { name: /^Hidden layer 1 unit \d+,/ });

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-diagram-');
    page = opened.page;
    const place = new URL(opened.lab.url);
    lab = connectLab({ url: labSocketUrl({ host: place.host, protocol: place.protocol, search: place.search }), WebSocket: WebSocket as unknown as SocketConstructor });
  });

  afterAll(async () => {
    lab?.close();
    await opened?.close();
  });

  it('trains a few steps of a 2 → 32 → 4 → 1 network on the spiral and reads a weight and a bias as the lab gives them', async () => {
    await openExample(page, 'Spiral');
    await page.getByRole('tab', { name: 'Model' }).click();
    await spin('Neurons in layer 1').fill('32');
    await spin('Neurons in layer 2').fill('4');
    await page.getByRole('tab', { name: 'Train' }).click();
    await spin('Epochs').fill('5000');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Training · /);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitForStatus(page, /^Paused · /);
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await page.getByRole('tab', { name: 'Model' }).click();
    await expect.poll(() => diagram().getAttribute('data-live')).toBe('weights');
    // The statistics come with the snapshot of a run in training.
    await expect.poll(async () => (await hiddenNodes().first().getAttribute('aria-label')) ?? '').toMatch(/mean activation/);

    const run = labRuns(opened.home).at(-1)!.id;
    snapshot = await lab.snapshot(run);
    const first = snapshot[0]!;
    expect(first.stats?.rows).toBeGreaterThan(0);

    const link = diagram().getByRole('img', { name: /^Weight from input 2 to hidden 1\.\d+: / }).first();
    const linkName = (await link.getAttribute('aria-label'))!;
    const unit = Number(/hidden 1\.(\d+)/.exec(linkName)![1]) - 1;
    await link.focus();
    await expect.poll(() => reading().textContent()).toBe(`Weight from input 2 to hidden 1.${unit + 1}: ${formatNumber(first.weights[1 * 32 + unit]!)}`);

    const node = diagram().getByRole('img', { name: new RegExp(`^Hidden layer 1 unit ${unit + 1},`) });
    await node.focus();
    const text = (await reading().textContent())!;
    expect(text).toContain(`Hidden layer 1 unit ${unit + 1}, bias ${formatNumber(first.bias![unit]!)}`);
    expect(text).toContain(`mean activation ${formatNumber(first.stats!.mean[unit]!)} on the last mini-batch of ${first.stats!.rows} rows`);
    expect(text).toContain(`min ${formatNumber(first.stats!.min[unit]!)}, max ${formatNumber(first.stats!.max[unit]!)}`);
    // Hovering another node reads that one instead.
    await diagram().getByRole('img', { name: /^Output unit 1,/ }).hover();
    await expect.poll(() => reading().textContent()).toMatch(new RegExp(`^Output unit 1, bias ${formatNumber(snapshot[2]!.bias![0]!).replace(/[.]/g, '\\.')}`));
    await page.screenshot({ path: join(tmpdir(), 'nnlab-diagram.png') });
  });

  it('draws the 32-unit layer’s eight most active units with +24 more, and every unit once all are asked for', async () => {
    const stats = snapshot[0]!.stats!;
    const top = Array.from({ length: 32 }, (_, u) => u).sort((a, b) => stats.meanAbs[b]! - stats.meanAbs[a]!).slice(0, 8).sort((a, b) => a - b);
    const shownUnits = async () => (await hiddenNodes().evaluateAll((nodes) => nodes.map((n) => n.getAttribute('aria-label') ?? '')))
      .map((name) => Number(/^Hidden layer 1 unit (\d+),/.exec(name)![1]) - 1);
    expect(await shownUnits()).toEqual(top);
    await expect.poll(() => diagram().locator('text.more').allTextContents()).toEqual(['+24 more']);

    await page.getByRole('checkbox', { name: 'Show all units' }).check();
    await expect.poll(async () => (await shownUnits()).length).toBe(32);
    expect(await shownUnits()).toEqual(Array.from({ length: 32 }, (_, u) => u));
    expect(await diagram().locator('text.more').count()).toBe(0);
    // The keyboard reaches the last one, and the readout says it.
    await hiddenNodes().last().focus();
    await expect.poll(() => reading().textContent()).toMatch(/^Hidden layer 1 unit 32, bias /);
  });

  it('shows each hidden unit’s output over the plane in its node, not one flat colour', async () => {
    const units = await diagram().locator('canvas.heat').evaluateAll((canvases) => canvases.map((c) => c.getAttribute('data-unit')));
    expect(units.sort()).toEqual([...Array.from({ length: 32 }, (_, u) => `1:${u + 1}`), ...Array.from({ length: 4 }, (_, u) => `2:${u + 1}`)].sort());
    const colours = await diagram().locator('canvas.heat').evaluateAll((canvases) => canvases.map((c) => {
      const canvas = c as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    }));
    // A dead ReLU unit is flat over the whole plane; a trained layer has far more live ones.
    expect(colours.filter((n) => n > 1).length).toBeGreaterThan(colours.length / 2);
    expect(opened.pageErrors).toEqual([]);
  });
});
