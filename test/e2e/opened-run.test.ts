import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, lastJson, runCli } from '../support/cli';
import { openLabPage, type OpenedLab } from './support/browser';

/** A run trained on the command line, opened on the bench from the Runs view, then deleted there. */
describe.sequential('a stored run opened on the bench', () => {
  let opened: OpenedLab;
  let runName = '';
  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'nnlab-e2e-opened-'));
    const trained = await runCli(['train', dataset('iris.csv'), '--epochs', '30', '--batch', '10', '--early-stop', '5', '--name', 'iris b10', '--home', home, '--json']);
    expect(trained.code, trained.stderr.join('\n')).toBe(0);
    ({ name: runName } = lastJson<{ name: string }>(trained));
    opened = await openLabPage(home);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('shows the run’s own batch size and patience in the form', async () => {
    const { page } = opened;
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: `Details of ${runName}` }).click();
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('tab', { name: 'Train', selected: true }).waitFor();
    const epochs = page.getByRole('spinbutton', { name: 'Epochs', exact: true });
    await expect.poll(() => epochs.inputValue()).toBe('30');
    expect(await page.getByRole('spinbutton', { name: 'Batch size', exact: true }).inputValue()).toBe('10');
    expect(await page.getByRole('spinbutton', { name: 'Patience (epochs)', exact: true }).inputValue()).toBe('5');
  });

  it('leaves the bench when it is deleted: nothing is left to export', async () => {
    const { page } = opened;
    const exportButton = page.getByRole('button', { name: 'Export model…' });
    expect(await exportButton.isEnabled()).toBe(true);
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: `Details of ${runName}` }).click();
    await page.getByRole('button', { name: 'Delete…', exact: true }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: `Details of ${runName}` }).waitFor({ state: 'detached' });
    await expect.poll(() => exportButton.isDisabled()).toBe(true);
    // The run's dataset, opened with it, stays on the bench for a next run.
    expect(await page.getByRole('status').textContent()).toBe('Ready to train');
    expect(opened.pageErrors).toEqual([]);
  });
});
