import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv, MAX_FIELD_CHARS } from '../../main/data/import/import-csv';
import { fixture, inputErrorOf } from './import-helpers';

const refusal = (name: string, options?: Parameters<typeof importCsv>[1]) => inputErrorOf(importCsv(fixture(name), options));

describe('importCsv refuses files with nothing to read', () => {
  it('an empty file', async () => {
    expect(await refusal('empty.csv')).toBe('empty.csv is empty. Choose a file with a header row and data rows.');
  });

  it('a file of blank lines, or of comments', async () => {
    expect(await refusal('only-blank-lines.csv')).toBe('only-blank-lines.csv is empty: it holds only blank lines.');
    expect(await refusal('only-comments.csv')).toBe('only-comments.csv is empty: it holds only blank or comment lines.');
  });

  it('a header without rows', async () => {
    expect(await refusal('header-only.csv')).toBe('header-only.csv has a header but no data rows. Add rows below the header.');
  });

  it('a single column, suggesting the delimiter option', async () => {
    expect(await refusal('single-column.csv')).toBe(
      'single-column.csv has a single column. If it has several, its fields are not separated by , ; tab or |: choose the separator with --delimiter.',
    );
  });
});

describe('importCsv refuses malformed rows, naming the line', () => {
  it('a row with too few fields', async () => {
    expect(await refusal('ragged-short.csv')).toBe(
      'ragged-short.csv, line 3: found 2 fields but the header has 3. Check that line for a missing or extra ",", or put quotes around a field that contains one.',
    );
  });

  it('a row with too many fields, after a quoted line break', async () => {
    expect(await refusal('ragged-long.csv')).toMatch(/^ragged-long\.csv, line 4: found 3 fields but the header has 2\./);
  });

  it('names the delimiter it split on', async () => {
    expect(await refusal('ragged-tab.csv')).toBe(
      'ragged-tab.csv, line 3: found 2 fields but the header has 3. Check that line for a missing or extra tab, or put quotes around a field that contains one.',
    );
  });

  it('a quoted field never closed, at the line where it opens', async () => {
    expect(await refusal('unterminated-quote.csv')).toBe(
      'unterminated-quote.csv, line 3: a quoted field opened here is never closed. Add the closing quote (") or remove the opening one.',
    );
  });
});

describe('importCsv refuses files that are not CSV text', () => {
  it('a binary file', async () => {
    expect(await refusal('binary.csv')).toBe(
      'binary.csv is a binary file (it contains NUL bytes), not a CSV text file. Save or export the data as CSV first.',
    );
  });

  it('a spreadsheet', async () => {
    expect(await refusal('book.xlsx')).toBe(
      'book.xlsx is a ZIP archive (an .xlsx or .ods spreadsheet is one), not a CSV text file. Save or export the data as CSV first.',
    );
  });

  it('a spreadsheet even when an encoding is chosen', async () => {
    expect(await refusal('book.xlsx', { encoding: 'utf-8' })).toMatch(/^book\.xlsx is a ZIP archive .* Save or export the data as CSV first\.$/);
  });

  it('a file that is not UTF-8 when UTF-8 was chosen, rather than guessing another encoding', async () => {
    expect(await refusal('latin1.csv', { encoding: 'utf-8' })).toBe(
      'latin1.csv is not valid UTF-8 text, though it was read as UTF-8 on request. Choose its real encoding with --encoding (latin1 for most Western European files).',
    );
  });

  it('an encoding it does not know', async () => {
    expect(await refusal('lf.csv', { encoding: 'ebcdic' })).toBe('Unknown encoding "ebcdic". Use utf-8, utf-16le, utf-16be or latin1.');
  });
});

describe('importCsv refuses what it cannot open or hold', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nnlab-import-errors-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('several rows of the wrong width, naming the first three lines and counting the rest', async () => {
    const good = 'a,b,c,d,e';
    const lines = Array.from({ length: 30 }, (_, i) => ([4, 9, 17, 20, 25].includes(i + 2) ? '1,2,3' : '1,2,3,4,5'));
    const path = join(dir, 'ragged-rows.csv');
    await writeFile(path, `${[good, ...lines].join('\n')}\n`);
    expect(await inputErrorOf(importCsv(path))).toBe(
      'ragged-rows.csv: lines 4, 9 and 17 have 3 fields where the header has 5 (and 2 more). Check those lines for a missing or extra ",", or put quotes around a field that contains one.',
    );
    // Two lines of different widths: each count, no "more".
    await writeFile(path, 'a,b,c\n1,2,3\n1,2\n1,2,3,4\n');
    expect(await inputErrorOf(importCsv(path))).toBe(
      'ragged-rows.csv: lines 3 and 4 have 2 and 4 fields where the header has 3. Check those lines for a missing or extra ",", or put quotes around a field that contains one.',
    );
  });

  it('a missing file', async () => {
    const path = join(dir, 'nowhere.csv');
    expect(await inputErrorOf(importCsv(path))).toBe(`${path} does not exist. Check the file name and folder.`);
  });

  it('a folder', async () => {
    expect(await inputErrorOf(importCsv(dir))).toBe(`${dir} is a folder, not a CSV file.`);
  });

  it('a field longer than MAX_FIELD_CHARS, naming line and column', async () => {
    const path = join(dir, 'long.csv');
    await writeFile(path, `a,b\n1,2\n3,"${'x'.repeat(MAX_FIELD_CHARS + 1)}"\n`);
    expect(await inputErrorOf(importCsv(path))).toBe(
      `long.csv, line 3, column "b": a field of ${(MAX_FIELD_CHARS + 1).toLocaleString('en-US')} characters is over the limit of ${MAX_FIELD_CHARS.toLocaleString('en-US')}. Check for a quote left open before it.`,
    );
    // The limit itself is allowed.
    await writeFile(path, `a,b\n1,2\n3,"${'x'.repeat(MAX_FIELD_CHARS)}"\n`);
    expect((await importCsv(path)).table.rows).toBe(2);
  });
});
