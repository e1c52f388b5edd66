import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { labRuns } from './support/lab-runs';
import { canvasFingerprint, openExample, waitForStatus } from './support/page-helpers';

/** The Train view's checkpoint timeline: move through a run's saved epochs, then fork a new run from one. */
describe.sequential('checkpoints in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-checkpoints-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('shows the epoch, network and boundary of the chosen checkpoint, forks a run there, and links it to its parent', async () => {
    await openExample(page, 'Circles');
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('8');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Finished · /);

    const timeline = page.getByRole('region', { name: 'Checkpoints' });
    const slider = timeline.getByRole('slider', { name: 'Checkpoint', exact: true });
    const shown = timeline.getByLabel('Shown epoch');
    const diagram = timeline.getByRole('figure', { name: /^Network/ });
    const boundary = timeline.getByRole('img', { name: /^Decision boundary at epoch \d+ over x1 and x2/ }).locator('canvas');
    // The latest epoch is shown first.
    await expect.poll(() => shown.textContent()).toBe('Epoch 8');
    await expect.poll(() => slider.getAttribute('max')).toBe('7');
    await boundary.waitFor();
    const diagramAt8 = await diagram.innerHTML();
    const boundaryAt8 = await canvasFingerprint(boundary);

    await slider.focus();
    await slider.press('Home');
    await expect.poll(() => shown.textContent()).toBe('Epoch 1');
    await expect.poll(() => diagram.innerHTML()).not.toBe(diagramAt8);
    await expect.poll(() => canvasFingerprint(boundary)).not.toBe(boundaryAt8);
    await slider.press('ArrowRight');
    await slider.press('ArrowRight');
    await expect.poll(() => shown.textContent()).toBe('Epoch 3');
    await expect.poll(() => timeline.getByLabel('Checkpoint metrics').textContent()).toMatch(/8 saved epochs · step [\d,]+ · training loss \d/);
    await page.screenshot({ path: join(tmpdir(), 'nnlab-checkpoints-train.png'), fullPage: true });

    const [parent] = labRuns(opened.home);
    await timeline.getByRole('button', { name: 'Fork from here', exact: true }).click();
    // The new run's worker reads the data and the checkpoint before the run exists.
    await expect.poll(() => labRuns(opened.home).length, { timeout: 30_000 }).toBe(2);
    const child = labRuns(opened.home)[1]!;
    expect(child.parent).toEqual({ run: parent!.id, epoch: 3 });
    await waitForStatus(page, /^Finished · /);

    await page.getByRole('tab', { name: 'Runs' }).click();
    const table = page.getByRole('table', { name: 'Runs' });
    const childRow = table.getByRole('row').filter({ hasText: 'forked from' });
    await expect.poll(() => childRow.count()).toBe(1);
    expect(await childRow.textContent()).toMatch(/forked from .+ at epoch 3/);
    await childRow.getByRole('button', { name: /^Select parent / }).click();
    // Selecting the parent focuses its row, the one not forked.
    const focused = table.locator('tr.focused');
    await expect.poll(() => focused.count()).toBe(1);
    expect(await focused.textContent()).not.toContain('forked from');
    await page.getByRole('region', { name: `Run ${parent!.name}` }).waitFor();
    await page.screenshot({ path: join(tmpdir(), 'nnlab-checkpoints-runs.png') });
    expect(opened.pageErrors).toEqual([]);
  });
});
