import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { labRuns } from './support/lab-runs';
import { openExample, statusText, stepOf, waitForStatus } from './support/page-helpers';

/**
 * Divergence in the Train view: a learning rate raised while paused throws the weights out, training goes back
 * to the last good epoch and offers to continue at a tenth of the rate; the loss chart marks both events, from
 * the run's record, so a reload shows them again.
 */
describe.sequential('rollback after divergence in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;
  const field = (name: string) => page.getByRole('spinbutton', { name, exact: true });
  const marks = () => page.getByRole('list', { name: 'Chart marks' }).getByRole('listitem');

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-rollback-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('marks a learning rate set while paused, rolls back on divergence, and trains on at the rate it offers', async () => {
    await openExample(page, 'Iris');
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    await field('Epochs').fill('100000');
    // Iris trains in 3 mini-batches an epoch: nine steps end epoch 3 at the default rate.
    for (let step = 1; step <= 9; step++) {
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await waitForStatus(page, new RegExp(`^Paused · .*step ${step} ·`));
    }
    expect(await marks().count()).toBe(0);
    await field('Learning rate').fill('10');
    await field('Learning rate').press('Tab');
    await marks().filter({ hasText: 'step 9: learning rate 0.01 → 10' }).waitFor();

    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    const rolledBack = await waitForStatus(page, /^Rolled back · /);
    // Back at the end of epoch 3: the steps of the diverging epoch are undone.
    expect(rolledBack).toMatch(/^Rolled back · epoch 3 · step 9 ·/);
    await page.screenshot({ path: join(tmpdir(), 'nnlab-rolled-back.png') });
    await marks().filter({ hasText: /^step \d+: diverged, rolled back to epoch 3$/ }).waitFor();
    const divergedAt = Number(/^step (\d+)/.exec((await marks().allTextContents()).at(-1)!)![1]);
    expect(divergedAt).toBeGreaterThan(9);
    await page.getByRole('group', { name: 'Rolled back after divergence' }).getByText(/learning rate is probably too high/).waitFor();
    expect(labRuns(opened.home)[0]!.events).toEqual([expect.objectContaining({ kind: 'rollback', epoch: 3, toStep: 9, step: divergedAt, suggestedLearningRate: 1 })]);

    await page.getByRole('button', { name: 'Continue with learning rate 1', exact: true }).click();
    await waitForStatus(page, /^Training · /);
    await expect.poll(async () => stepOf(await statusText(page)), { timeout: 30_000 }).toBeGreaterThan(divergedAt + 30);
    expect(await field('Learning rate').inputValue()).toBe('1');
    expect(await page.getByRole('button', { name: /^Continue with learning rate/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await waitForStatus(page, /^Paused · /);
    expect(await marks().allTextContents()).toEqual([
      'step 9: learning rate 0.01 → 10',
      'step 9: learning rate 10 → 1',
      `step ${divergedAt}: diverged, rolled back to epoch 3`,
    ]);
    await page.screenshot({ path: join(tmpdir(), 'nnlab-rollback.png') });
    expect(opened.pageErrors).toEqual([]);
  });

  it('shows the marks again after a reload, from the run’s record', async () => {
    await page.reload();
    await waitForStatus(page, /^Paused · /);
    await expect.poll(() => marks().allTextContents()).toEqual([
      'step 9: learning rate 0.01 → 10',
      'step 9: learning rate 10 → 1',
      expect.stringMatching(/^step \d+: diverged, rolled back to epoch 3$/),
    ]);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForStatus(page, /^Stopped · /);
    expect(opened.pageErrors).toEqual([]);
  });
});
