import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, lastJson, runCli } from '../support/cli';
import { openLabPage, type OpenedLab } from './support/browser';

const NOTHING_HELD_OUT = 'This run trained on only 4 rows and was judged on none (no validation or test rows): its scores say how well it fits those rows, not how it does on new ones.';

/** The seed's XOR run, trained on the command line, as the app shows it: what it was judged on and which kernels trained it. */
describe.sequential('a run on too little data in the app', () => {
  let opened: OpenedLab;
  let runName = '';
  beforeAll(async () => {
    const home = mkdtempSync(join(tmpdir(), 'nnlab-e2e-small-'));
    const trained = await runCli(['train', dataset('seed-xor.csv'), '--layers', '4', '--activation', 'sigmoid', '--loss', 'sse', '--optimizer', 'sgd',
      '--lr', '1', '--epochs', '50', '--batch', 'full', '--init', 'uniform', '--no-bias', '--no-standardize', '--val', '0', '--test', '0',
      '--name', 'seed xor', '--home', home, '--json']);
    expect(trained.code, trained.stderr.join('\n')).toBe(0);
    ({ name: runName } = lastJson<{ name: string }>(trained));
    opened = await openLabPage(home);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('says in the run details that it was judged on none, and which kernels trained it', async () => {
    const { page } = opened;
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: `Details of ${runName}` }).click();
    const details = page.getByRole('region', { name: `Run ${runName}` });
    await details.getByText(NOTHING_HELD_OUT).waitFor();
    expect(await details.getByText('Trained with the JavaScript kernels (js).').count()).toBe(1);
  });

  it('opened on the bench, lists it among the training warnings and shows its kernels in the form', async () => {
    const { page } = opened;
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('tab', { name: 'Train', selected: true }).waitFor();
    const warnings = page.getByRole('list', { name: 'Training warnings' });
    await expect.poll(() => warnings.getByRole('listitem').allTextContents()).toContain(NOTHING_HELD_OUT);
    expect(await page.getByRole('combobox', { name: 'Kernels' }).inputValue()).toBe('js');
    expect(opened.pageErrors).toEqual([]);
  });
});
