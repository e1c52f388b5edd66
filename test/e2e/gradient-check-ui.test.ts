import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastJson, runCli } from '../support/cli';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { labRuns } from './support/lab-runs';
import { openExample, waitForStatus } from './support/page-helpers';

/** "Check gradients" in the Train view: the lab's float64 check of the run on the bench, layer by layer. */
describe.sequential('the gradient check in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-gradcheck-');
    page = opened.page;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('checks a finished run and shows each layer with its verdict, as the command line does', async () => {
    await openExample(page, 'Iris');
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('4');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Finished · /);
    await page.getByRole('button', { name: 'Check gradients' }).click();
    const region = page.getByRole('region', { name: 'Gradient check' });
    await region.getByRole('heading', { name: 'Gradient check passed' }).waitFor();
    const rows = region.getByRole('row');
    // The header and the three layers of 4 → 64 → 32 → 3.
    expect(await rows.count()).toBe(4);
    expect(await region.getByRole('rowheader').allTextContents()).toEqual(['1 · relu', '2 · relu', '3 · softmax']);
    expect(await rows.nth(2).textContent()).toContain('64 → 32');
    expect(await rows.nth(2).textContent()).toContain('2000 of 2048');
    await region.screenshot({ path: join(tmpdir(), 'nnlab-gradient-check.png') });

    // The same verdict from the command line, on the same run.
    const [run] = labRuns(opened.home);
    const cli = await runCli(['gradcheck', run!.id, '--home', opened.home, '--json']);
    expect(lastJson<{ passed: boolean; layers: unknown[] }>(cli)).toMatchObject({ passed: true });
    expect(opened.pageErrors).toEqual([]);
  });
});
