import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLabPage, type OpenedLab } from './support/browser';
import { dropFile, waitForStatus } from './support/page-helpers';

/**
 * The app speaks the app's language, in a browser against `nnlab serve`: what a message advises is said with
 * the control that does it (never a command-line flag or command), a file's name is said once, several bad
 * rows are named together, and a count of one is singular.
 */
const SHOTS = mkdtempSync(join(tmpdir(), 'nnlab-app-words-'));
const FLAG = /--[a-z]|nnlab (runs|train|predict)/;

let opened: OpenedLab;
let page: Page;

const alert = () => page.locator('.error[role="alert"]').first();

async function drop(name: string, text: string): Promise<void> {
  await dropFile(page.locator('body'), name, text);
}

/** The text a person sees on the page, which must never name a flag. */
async function pageText(): Promise<string> {
  return page.locator('body').innerText();
}

/** A grade column of three whole-number codes, each in many rows; a constant column of 1s. */
function gradesCsv(): string {
  const lines = ['height,weight,one,grade'];
  for (let r = 0; r < 30; r++) lines.push(`${150 + r},${50 + ((r * 7) % 30)},1,${r % 3}`);
  return `${lines.join('\n')}\n`;
}

/** Four rows, where the header has five fields and lines 4, 9, 17, 20 and 25 have three. */
function raggedCsv(): string {
  const lines = ['a,b,c,d,e'];
  for (let line = 2; line <= 30; line++) lines.push([4, 9, 17, 20, 25].includes(line) ? '1,2,3' : '1,2,3,4,5');
  return `${lines.join('\n')}\n`;
}

describe.sequential('the app speaks the app’s language', () => {
  beforeAll(async () => {
    opened = await openLabPage();
    page = opened.page;
    await page.getByRole('region', { name: 'Drop a CSV file here' }).waitFor();
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('names the first rows of the wrong width once, with the file’s name said once', async () => {
    await drop('03_ragged_rows.csv', raggedCsv());
    await alert().filter({ hasText: 'lines 4, 9 and 17' }).waitFor();
    expect(await alert().textContent()).toBe('03_ragged_rows.csv: lines 4, 9 and 17 have 3 fields where the header has 5 (and 2 more). Check those lines for a missing or extra ",", or put quotes around a field that contains one.');
    await drop('one_ragged_row.csv', 'a,b,c\n1,2,3\n1,2,3\n1,2\n');
    await alert().filter({ hasText: 'one_ragged_row.csv, line 4' }).waitFor();
    expect(await alert().textContent()).toBe('one_ragged_row.csv, line 4: found 2 fields but the header has 3. Check that line for a missing or extra ",", or put quotes around a field that contains one.');
    await page.screenshot({ path: join(SHOTS, 'ragged.png'), fullPage: true });
  });

  it('says how to fix a one-column file with the file, not a flag', async () => {
    await drop('one_column.csv', 'a b c\n1 2 3\n4 5 6\n');
    await alert().filter({ hasText: 'single column' }).waitFor();
    expect(await alert().textContent()).toBe('one_column.csv has a single column. If it has several, its fields are not separated by , ; tab or |: save the file with one of them between its fields.');
    expect(await pageText()).not.toMatch(FLAG);
  });

  it('says how to predict whole-number codes as a number with the Task control, and a single value in the singular', async () => {
    await drop('grades.csv', gradesCsv());
    const warnings = page.getByRole('list', { name: 'Import warnings' });
    await warnings.waitFor();
    expect(await warnings.getByRole('listitem').allTextContents()).toContain(
      'The target "grade" holds 3 distinct whole numbers, so they are treated as class codes; choose Regression in Task to predict it as a number.',
    );
    const columns = page.getByRole('table', { name: 'Columns' });
    await columns.getByText('1 value: 1 (30)').waitFor();
    expect(await pageText()).not.toMatch(FLAG);
    expect(await page.getByText('values: 1 (30)').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'grades.png'), fullPage: true });
    // The control the message names is there, with the words it uses.
    const task = page.getByRole('combobox', { name: 'Task' });
    expect(await task.locator('option').allTextContents()).toEqual(['decide from the target', 'Classification', 'Regression']);
  });

  it('says a text target cannot be a number with the Task control', async () => {
    await drop('kinds.csv', 'x,y,kind\n1,2,a\n2,3,b\n3,4,a\n4,5,b\n5,6,a\n6,7,b\n');
    await page.getByRole('combobox', { name: 'Task' }).waitFor();
    await page.getByRole('combobox', { name: 'Task' }).selectOption({ label: 'Regression' });
    const problem = page.getByRole('alert').filter({ hasText: 'is not numeric' });
    await problem.waitFor();
    expect(await problem.textContent()).toBe('The target "kind" is not numeric, so it cannot be predicted as a number (regression). Choose Classification in Task, or pick a numeric target.');
    expect(await pageText()).not.toMatch(FLAG);
    await page.screenshot({ path: join(SHOTS, 'task.png'), fullPage: true });
  });

  it('says a run killed mid-training can be resumed in Runs, not with a command', async () => {
    await page.getByRole('combobox', { name: 'Task' }).selectOption({ value: 'auto' });
    await page.getByText('Predicting two classes from 2 feature columns.').waitFor();
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('10000000');
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Training · /);
    const serve = opened.lab.process.pid!;
    const workers = readFileSync(`/proc/${serve}/task/${serve}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
      .filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker'));
    expect(workers.length).toBeGreaterThan(0);
    for (const worker of workers) process.kill(worker, 'SIGKILL');
    const message = page.getByText(/left interrupted at its last checkpoint/).first();
    await message.waitFor();
    expect(await message.textContent()).toMatch(/Resume it in Runs \(Resume\)/);
    expect(await pageText()).not.toMatch(FLAG);
    await page.screenshot({ path: join(SHOTS, 'interrupted.png'), fullPage: true });
  });

  it('raised no page errors', () => {
    expect(opened.pageErrors).toEqual([]);
  });
});
