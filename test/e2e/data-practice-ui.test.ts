import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/run-record';
import { dataset } from '../support/cli';
import { openLabPageInTempHome, type OpenedLab } from './support/browser';
import { dropFile, waitForStatus } from './support/page-helpers';

const SHOTS = process.env['NNLAB_SHOTS'] ?? tmpdir();
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `rows` rows of `features` numeric columns f1… and a class column y, two classes of equal size. */
function wideCsv(features: number, rows: number): string {
  const header = [...range(features).map((c) => `f${c + 1}`), 'y'].join(',');
  const lines = range(rows).map((r) => [...range(features).map((c) => ((r * 7919 + c * 104729) % 1000) / 10), r % 2 ? 'a' : 'b'].join(','));
  return [header, ...lines].join('\n') + '\n';
}

/** Data as a practitioner has it: a constant column kept for the seed's network, recent uploads, a wide file and designs that cannot work. */
describe.sequential('data as practitioners have it, in the app', () => {
  let opened: OpenedLab & { home: string };
  let page: Page;
  let home = '';

  beforeAll(async () => {
    opened = await openLabPageInTempHome('nnlab-e2e-data-');
    ({ page, home } = opened);
  });
  afterAll(() => opened?.close());

  const drop = async (name: string, text: string) => {
    const target = page.getByRole('region', { name: 'Drop a CSV file here' });
    if (await target.count() === 0) {
      await dropFile(page.locator('body'), name, text);
    } else {
      await dropFile(target, name, text);
    }
    await page.getByRole('heading', { name, level: 2 }).waitFor();
  };
  const warnings = () => page.getByRole('list', { name: 'Import warnings' }).getByRole('listitem').allTextContents();

  it('builds the seed network exactly: the constant column kept as a feature gives 3 inputs and 16 weights in the form, the diagram and the run', async () => {
    await drop('seed-xor.csv', readFileSync(dataset('seed-xor.csv'), 'utf8'));
    await page.getByRole('tab', { name: 'Model' }).click();
    await page.getByRole('checkbox', { name: 'Biases' }).uncheck();
    // Unchecking Biases adds no input by itself: the form says where to feed the constant column.
    const editor = page.getByRole('group', { name: 'Architecture' });
    await editor.getByText('2 inputs', { exact: true }).waitFor();
    await page.getByText('Without biases, a constant column can play the bias, as in the seed: set the role of “x3” to feature in the Data view to feed it.').waitFor();
    await page.getByRole('tab', { name: 'Data' }).click();
    const role = page.getByRole('combobox', { name: 'Role of x3' });
    expect(await role.inputValue()).toBe('ignored');
    await role.selectOption('feature');
    await expect.poll(() => role.inputValue()).toBe('feature');
    await expect.poll(warnings).toContain('Column "x3" has only one value and is kept as an input on request: a constant tells no rows apart, so it is usually left out; in a network without biases it plays the bias, as in the seed.');
    await page.getByText('Predicting two classes from 3 feature columns.').waitFor();

    await page.getByRole('tab', { name: 'Model' }).click();
    await page.getByRole('button', { name: 'Remove layer 2' }).click();
    await page.getByRole('spinbutton', { name: 'Neurons in layer 1' }).fill('4');
    await page.getByRole('combobox', { name: 'Activation of layer 1' }).selectOption('sigmoid');
    expect(await page.getByRole('checkbox', { name: 'Biases' }).isChecked()).toBe(false);
    await editor.getByText('3 inputs', { exact: true }).waitFor();
    expect(await page.getByText('Without biases, a constant column can play the bias').count()).toBe(0);
    expect(await page.getByTestId('parameter-count').textContent()).toBe('16');
    const diagram = page.getByRole('figure', { name: /^Network diagram/ });
    expect(await diagram.getAttribute('aria-label')).toMatch(/^Network diagram: 3 → 4 → 1 neurons/);
    expect(await diagram.locator('circle.in').count()).toBe(3);
    await page.screenshot({ path: join(SHOTS, 'data-seed-model.png') });

    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('20');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^(Finished|Stopped) · /);
    const [id] = readdirSync(join(home, 'runs'));
    const record = JSON.parse(readFileSync(join(home, 'runs', id!, 'run.json'), 'utf8')) as RunRecord;
    expect(record.request.roles.keepConstant).toEqual(['x3']);
    expect(record.model.inputs).toBe(3);
    const model = JSON.parse(readFileSync(join(home, 'runs', id!, 'model.json'), 'utf8')) as { inputs: string[]; layers: { weights: { shape: number[] } }[] };
    expect(model.inputs).toEqual(['x1', 'x2', 'x3']);
    expect(model.layers.reduce((sum, l) => sum + l.weights.shape[0]! * l.weights.shape[1]!, 0)).toBe(3 * 4 + 4 * 1);
    await page.getByRole('tab', { name: 'Model' }).click();
    expect(await page.getByRole('figure', { name: /^Network diagram/ }).locator('circle.in').count()).toBe(3);
    expect(opened.pageErrors).toEqual([]);
  });

  it('lists a dropped file among the recent files after a reload, and asks for the file again when it is chosen', async () => {
    await page.reload();
    await page.getByRole('tab', { name: 'Data' }).click();
    const recent = page.getByRole('group', { name: 'Recent files' });
    const entry = recent.getByRole('button', { name: 'seed-xor.csv' });
    await entry.waitFor();
    const chooser = page.waitForEvent('filechooser');
    await entry.click();
    await page.getByText('Pick seed-xor.csv again in the file picker: a browser cannot reopen a file by itself.').waitFor();
    await page.screenshot({ path: join(SHOTS, 'data-recent-repick.png') });
    await (await chooser).setFiles(dataset('seed-xor.csv'));
    await page.getByRole('heading', { name: 'seed-xor.csv', level: 2 }).waitFor();
    expect(await page.getByText('a browser cannot reopen a file by itself').count()).toBe(0);
    expect(opened.pageErrors).toEqual([]);
  });

  it('filters 2,000 columns and changes the roles of many at once, and says there are more inputs than training rows', async () => {
    await drop('wide.csv', wideCsv(1999, 60));
    await page.getByText('Predicting two classes from 1,999 feature columns.').waitFor();
    const wide = 'There are more inputs than training rows (1,999 feature columns against 36 training rows): a network can then fit every training row exactly and still predict new rows badly. Leave out the columns that matter least, or use more rows.';
    await expect.poll(warnings).toContain(wide);
    const list = page.getByRole('table', { name: 'Columns' });
    // Virtualised: a screenful of rows is drawn, not 2,000.
    expect(await list.getByRole('row').count()).toBeLessThan(40);

    const filter = page.getByRole('searchbox', { name: 'Filter columns' });
    await filter.fill('f19');
    // f19 and f190…f199, f1900…f1999.
    await page.getByText('111 of 2,000 columns · 0 selected').waitFor();
    await page.getByRole('button', { name: 'Select shown' }).click();
    await page.getByText('111 of 2,000 columns · 111 selected').waitFor();
    await page.getByRole('button', { name: 'Ignore selected' }).click();
    await page.getByText('Predicting two classes from 1,888 feature columns.').waitFor();
    expect(await page.getByRole('combobox', { name: 'Role of f19', exact: true }).inputValue()).toBe('ignored');
    await filter.fill('f1999');
    expect(await page.getByRole('combobox', { name: 'Role of f1999' }).inputValue()).toBe('ignored');

    await filter.fill('');
    await page.getByText('2,000 columns · 0 selected').waitFor();
    // One by one with the checkboxes: keep 20 columns, ignore the rest.
    await filter.fill('f1');
    await page.getByRole('button', { name: 'Select shown' }).click();
    await filter.fill('');
    await page.getByRole('button', { name: 'Ignore selected' }).click();
    await page.getByText(`Predicting two classes from ${1999 - 1111} feature columns.`).waitFor();
    for (const name of ['f2', 'f3', 'f4']) await page.getByRole('checkbox', { name: `Select ${name}`, exact: true }).check();
    // One column's role changed on its own keeps the selection.
    await page.getByRole('combobox', { name: 'Role of f5', exact: true }).selectOption('ignored');
    await page.getByText(`Predicting two classes from ${1999 - 1111 - 1} feature columns.`).waitFor();
    await page.getByText('2,000 columns · 3 selected').waitFor();
    await filter.fill('f1999');
    await page.getByRole('checkbox', { name: 'Select f1999', exact: true }).check();
    await page.getByText('1 of 2,000 columns · 4 selected').waitFor();
    await page.getByRole('button', { name: 'Use selected as features' }).click();
    await filter.fill('');
    // Every column but f1… (1,111 of them) and f5 is a feature, and f1999 again.
    await page.getByText(`Predicting two classes from ${1999 - 1111 - 1 + 1} feature columns.`).waitFor();
    await filter.fill('f1999');
    expect(await page.getByRole('combobox', { name: 'Role of f1999' }).inputValue()).toBe('feature');
    await filter.fill('');
    await page.screenshot({ path: join(SHOTS, 'data-wide.png'), fullPage: true });
    expect(opened.pageErrors).toEqual([]);
  });

  it('names a class with 2 rows, too few to learn or to split', async () => {
    const rows = range(40).map((r) => `${r % 7},${(r * 13) % 11},${r < 2 ? 'rare' : r % 2 ? 'a' : 'b'}`);
    await drop('rare.csv', ['x1,x2,y', ...rows].join('\n') + '\n');
    await expect.poll(warnings).toContain('Class "rare" of "y" has only 2 rows: too few to learn it, or to give it a row among the training, validation and test rows each. Add rows of that class, or leave them out of the file.');
    await page.screenshot({ path: join(SHOTS, 'data-rare-class.png') });
    expect(opened.pageErrors).toEqual([]);
  });
});
