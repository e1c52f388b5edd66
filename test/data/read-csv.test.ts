import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, parseCsvText, readCsv } from '../../main/data/read-csv';
import { datasetPath } from './helpers';

/** The message of what `run` throws; fails the test if it does not throw. */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseCsvText', () => {
  it('reads a header and text cells column by column, trimmed', () => {
    const table = parseCsvText('a, b\n 1 ,x y \n2,z\n', 'small.csv');
    expect(table).toEqual({ source: 'small.csv', columns: ['a', 'b'], cells: [['1', '2'], ['x y', 'z']], rows: 2, lines: [2, 3] });
  });

  it('strips a byte-order mark from the first column name', () => {
    const table = parseCsvText('\uFEFFid,value\n1,2\n', 'bom.csv');
    expect(table.columns).toEqual(['id', 'value']);
  });

  it('reads Windows line endings', () => {
    const table = parseCsvText('a,b\r\n1,2\r\n3,4\r\n', 'crlf.csv');
    expect(table.cells).toEqual([['1', '3'], ['2', '4']]);
    expect(table.lines).toEqual([2, 3]);
  });

  it('keeps commas and line breaks inside quoted fields', () => {
    const table = parseCsvText('name,note\n"Smith, J.","two\nlines"\nplain,"say ""hi"""\n', 'quoted.csv');
    expect(table.cells).toEqual([['Smith, J.', 'plain'], ['two\nlines', 'say "hi"']]);
  });

  it('skips blank lines but records the line on which each row starts', () => {
    const text = 'a,b\n\n1,2\n   \n3,"x\ny"\n5,6\n\n';
    const table = parseCsvText(text, 'gaps.csv');
    expect(table.rows).toBe(3);
    expect(table.cells[0]).toEqual(['1', '3', '5']);
    expect(table.lines).toEqual([3, 5, 7]);
  });

  it('counts lines the same way with CRLF inside and outside quotes', () => {
    const table = parseCsvText('a,b\r\n1,"p\r\nq"\r\n\r\n3,4\r\n5,6', 'crlf-quoted.csv');
    expect(table.cells[1]).toEqual(['p\r\nq', '4', '6']);
    expect(table.lines).toEqual([2, 5, 6]);
  });

  it('names blank header cells by position', () => {
    expect(parseCsvText('a,,c\n1,2,3\n', 'blank.csv').columns).toEqual(['a', 'column_2', 'c']);
  });

  it('gives a header-only file no rows', () => {
    expect(parseCsvText('a,b\n', 'header.csv')).toMatchObject({ columns: ['a', 'b'], rows: 0, cells: [[], []], lines: [] });
  });

  it('refuses an empty file, or one of blank lines', () => {
    expect(messageOf(() => parseCsvText('', 'empty.csv'))).toBe('empty.csv is empty: it has no header row and no data.');
    expect(messageOf(() => parseCsvText('\n\r\n  \n', 'blank.csv'))).toBe('blank.csv is empty: it has no header row and no data.');
  });

  it('names the file, line and field counts of a ragged row', () => {
    const text = 'a,b,c\n1,2,3\n4,5\n';
    expect(messageOf(() => parseCsvText(text, 'ragged.csv'))).toBe(
      'ragged.csv, line 3: expected 3 fields like the header, found 2. Check that line for a missing or extra delimiter, or quote fields that contain one.',
    );
    expect(messageOf(() => parseCsvText('a,b\n1,2\n\n3,4,5\n', 'extra.csv'))).toMatch(/^extra\.csv, line 4: expected 2 fields like the header, found 3\./);
  });

  it('says a quoted field is never closed', () => {
    expect(messageOf(() => parseCsvText('a,b\n1,"open\n2,3\n', 'quote.csv'))).toMatch(
      /^quote\.csv: a quoted field is never closed \(the file ends inside quotes, reached at line \d+\)\. Add the closing quote\.$/,
    );
  });
});

describe('readCsv', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nnlab-read-csv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and names the table after the file', async () => {
    const path = join(dir, 'tiny data.csv');
    await writeFile(path, '\uFEFFx,y\r\n1,a\r\n2,b\r\n');
    expect(await readCsv(path)).toEqual({ source: 'tiny data.csv', columns: ['x', 'y'], cells: [['1', '2'], ['a', 'b']], rows: 2, lines: [2, 3] });
  });

  it('reads the sample datasets whole', async () => {
    const penguins = await readCsv(datasetPath('penguins.csv'));
    expect(penguins.rows).toBe(344);
    expect(penguins.columns).toEqual(['Species', 'Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Sex']);
    expect(penguins.lines[343]).toBe(345);
    expect((await readCsv(datasetPath('iris.csv'))).rows).toBe(150);
  });

  it('names the file in parse errors', async () => {
    const path = join(dir, 'bad.csv');
    await writeFile(path, 'a,b\n1,2\n3\n');
    await expect(readCsv(path)).rejects.toThrow('bad.csv, line 3: expected 2 fields like the header, found 1.');
  });

  it('says plainly that a file does not exist', async () => {
    const path = join(dir, 'nowhere.csv');
    const error = await readCsv(path).then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toBe(`${path} does not exist. Check the file name and folder.`);
    expect(error!.message).not.toMatch(/ENOENT|\n\s+at /);
  });

  it('says a folder is not a CSV file', async () => {
    await expect(readCsv(dir)).rejects.toThrow(`${dir} is a folder, not a CSV file.`);
  });
});
