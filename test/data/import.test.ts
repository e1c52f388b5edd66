import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCsv } from '../../main/data/import/import-csv';
import { fixture, numbersOf, textOf } from './import-helpers';

const read = (name: string, options?: Parameters<typeof importCsv>[1]) => importCsv(fixture(name), options);

describe('importCsv: RFC 4180 quoting', () => {
  it('keeps delimiters, doubled quotes and line breaks inside quoted fields, and the start line of every row', async () => {
    const { table, warnings } = await read('quoted.csv');
    expect(textOf(table)).toEqual({
      name: ['Smith, J.', 'plain', 'x', 'last'],
      note: ['say "hi"', 'two\nlines', 'three\nline\nnote', null],
      score: ['1', '2', '3', '4'],
    });
    // Each quoted line break pushes the later rows down a line.
    expect([...table.lines]).toEqual([2, 3, 5, 8]);
    expect(warnings).toEqual([]);
  });

  it('counts CRLF inside and outside quotes, across a blank line and without a final line break', async () => {
    const { table, dialect } = await read('quoted-crlf.csv');
    expect(dialect.lineEnding).toBe('CRLF');
    expect(textOf(table)).toEqual({ a: ['1', '3', '5'], b: ['p\r\nq', '4', '6'] });
    expect([...table.lines]).toEqual([2, 5, 6]);
  });
});

describe('importCsv: line endings and byte-order mark', () => {
  it.each([
    ['lf.csv', 'LF'],
    ['crlf.csv', 'CRLF'],
    ['cr.csv', 'CR'],
  ] as const)('reads %s (%s) into the same table', async (name, ending) => {
    const { table, dialect } = await read(name);
    expect(dialect.lineEnding).toBe(ending);
    expect(textOf(table)).toEqual({ id: ['1', '2', '3'], name: ['ann', 'bob', 'cy'], score: ['2.5', '3.5', '4.5'] });
    expect(numbersOf(table).score).toEqual([2.5, 3.5, 4.5]);
    expect([...table.lines]).toEqual([2, 3, 4]);
  });

  it('drops a UTF-8 byte-order mark instead of gluing it to the first column name', async () => {
    const { table, dialect, warnings } = await read('bom.csv');
    expect(table.columns.map((c) => c.name)).toEqual(['id', 'value']);
    expect(dialect).toMatchObject({ encoding: 'utf-8', bom: true });
    expect(warnings).toEqual([]);
    expect((await read('lf.csv')).dialect.bom).toBe(false);
  });
});

describe('importCsv: delimiters and decimal marks', () => {
  it.each([
    ['lf.csv', ','],
    ['semicolon.csv', ';'],
    ['tab.csv', '\t'],
    ['pipe.csv', '|'],
  ])('detects the delimiter of %s', async (name, delimiter) => {
    const { table, dialect } = await read(name);
    expect(dialect.delimiter).toBe(delimiter);
    expect(table.columns).toHaveLength(3);
  });

  it('is not misled by commas inside the fields of a semicolon, tab or pipe file', async () => {
    for (const name of ['semicolon.csv', 'tab.csv', 'pipe.csv']) {
      const { table, dialect } = await read(name);
      expect(textOf(table).city).toEqual(['Paris, France', 'Lyon', 'Nice']);
      expect(numbersOf(table).count).toEqual([10, 20, 30]);
      expect(dialect.decimal).toBe('.');
    }
  });

  it('reads decimal commas in a semicolon file as numbers and says so', async () => {
    const { table, dialect, warnings } = await read('decimal-comma.csv');
    expect(dialect).toMatchObject({ delimiter: ';', decimal: ',' });
    expect(numbersOf(table)).toMatchObject({ length: [1.5, -0.25, 10], width: [2, 3.75, 0.5] });
    expect(textOf(table).kind).toEqual(['a', 'b', 'a']);
    expect(warnings).toEqual(['Numbers in decimal-comma.csv use a decimal comma (1,5 means 1.5).']);
  });
});

describe('importCsv: layout', () => {
  it('trims spaces and tabs around fields and names', async () => {
    const { table } = await read('whitespace.csv');
    expect(textOf(table)).toEqual({ a: ['1', '3'], b: ['x y', 'z'], c: ['2.5', '4'] });
    expect(numbersOf(table).c).toEqual([2.5, 4]);
  });

  it('skips blank and whitespace-only lines, keeping the line each row is on', async () => {
    const { table } = await read('blank-lines.csv');
    expect(textOf(table)).toEqual({ a: ['1', '3', '5'], b: ['2', '4', '6'] });
    expect([...table.lines]).toEqual([3, 5, 7]);
  });

  it('skips # comment lines anywhere when the file starts with one, and says so', async () => {
    const { table, dialect, warnings } = await read('comments.csv');
    expect(dialect.comments).toBe(true);
    expect(textOf(table)).toEqual({ a: ['1', '3'], b: ['2', '4'] });
    expect([...table.lines]).toEqual([4, 6]);
    expect(warnings).toEqual(['Lines starting with # are treated as comments and skipped.']);
  });

  it('keeps values starting with # when the file does not start with a comment', async () => {
    const { table, dialect, warnings } = await read('hash-values.csv');
    expect(dialect.comments).toBe(false);
    expect(textOf(table).tag).toEqual(['#red', '#blue']);
    expect(warnings).toEqual([]);
  });

  it('drops the empty, unnamed column a delimiter at the end of every line makes', async () => {
    const { table, preview } = await read('trailing-delimiter.csv');
    expect(textOf(table)).toEqual({ a: ['1', '3'], b: ['2', '4'] });
    expect(preview).toEqual([['1', '2'], ['3', '4']]);
  });
});

describe('importCsv: header row', () => {
  it('reads an all-number first line as data, names the columns by position and says so', async () => {
    const { table, dialect, warnings } = await read('header-is-data.csv');
    expect(dialect.header).toBe(false);
    expect(textOf(table)).toEqual({ column_1: ['1', '4', '7'], column_2: ['2', '5', '8'], column_3: ['3', '6', '9'] });
    expect([...table.lines]).toEqual([1, 2, 3]);
    expect(warnings).toEqual([
      'The first line of header-is-data.csv looks like data (it is all numbers), so it is read as a row and the columns are named column_1 to column_3. If it is a header, say so with --header.',
    ]);
  });

  it('takes the first line as the header when told to, whatever it looks like', async () => {
    const { table, warnings } = await read('header-is-data.csv', { header: true });
    expect(textOf(table)).toEqual({ 1: ['4', '7'], 2: ['5', '8'], 3: ['6', '9'] });
    expect([...table.lines]).toEqual([2, 3]);
    expect(warnings).toEqual([]);
  });

  it('reads a text first line as data when told there is no header, without claiming it is numbers', async () => {
    const { table, warnings } = await read('lf.csv', { header: false });
    expect(table.rows).toBe(4);
    expect(textOf(table).column_2).toEqual(['name', 'ann', 'bob', 'cy']);
    expect([...table.lines]).toEqual([1, 2, 3, 4]);
    expect(warnings).toEqual([]);
  });

  it('renames repeated column names visibly', async () => {
    const { table, warnings } = await read('duplicate-names.csv');
    expect(textOf(table)).toEqual({ x: ['1', '5'], y: ['2', '6'], x_2: ['3', '7'], x_3: ['4', '8'] });
    expect(warnings).toEqual(['Some columns share a name: "x" (column 3) is renamed "x_2"; "x" (column 4) is renamed "x_3".']);
  });
});

describe('importCsv: encodings', () => {
  it.each([
    ['utf16le.csv', 'utf-16le', 'utf16le.csv is UTF-16 (little-endian) text.'],
    ['utf16be.csv', 'utf-16be', 'utf16be.csv is UTF-16 (big-endian) text.'],
  ])('decodes %s from its byte-order mark', async (name, encoding, note) => {
    const { table, dialect, warnings } = await read(name);
    expect(dialect).toMatchObject({ encoding, bom: true });
    expect(textOf(table)).toEqual({ name: ['Zoë', 'Øyvind'], city: ['Köln', 'Tromsø'] });
    expect(warnings).toEqual([note]);
  });

  it('reads a file that is not UTF-8 as Latin-1 and says so', async () => {
    const { table, dialect, warnings } = await read('latin1.csv');
    expect(dialect.encoding).toBe('windows-1252');
    expect(textOf(table).item).toEqual(['café', 'crème brûlée']);
    expect(numbersOf(table).price).toEqual([3, 5]);
    expect(warnings).toEqual([
      'latin1.csv is not UTF-8, so it was read as Latin-1 (Windows-1252). If accented letters look wrong, save the file as UTF-8 or choose its encoding with --encoding.',
    ]);
  });

  it('reads accented UTF-8 as UTF-8', async () => {
    const { table, dialect, warnings } = await read('utf8-accents.csv');
    expect(dialect.encoding).toBe('utf-8');
    expect(textOf(table).item).toEqual(['café', 'crème brûlée']);
    expect(warnings).toEqual([]);
  });
});

describe('importCsv: options override detection', () => {
  it('splits on the delimiter it is given', async () => {
    // Left to itself it splits on ";" and reads "2,3" as a decimal comma.
    expect(numbersOf((await read('ambiguous.csv')).table)).toEqual({ a: [1, 4], 'b,c': [2.3, 5.6] });
    const { table, dialect } = await read('ambiguous.csv', { delimiter: ',' });
    expect(dialect).toMatchObject({ delimiter: ',', decimal: '.' });
    expect(textOf(table)).toEqual({ 'a;b': ['1;2', '4;5'], c: ['3', '6'] });
  });

  it('uses the decimal mark it is given, without the detection warning', async () => {
    const point = await read('decimal-comma.csv', { decimal: '.' });
    expect(numbersOf(point.table).length).toEqual([NaN, NaN, 10]);
    expect(point.warnings).toEqual([]);
    const comma = await read('decimal-comma.csv', { decimal: ',' });
    expect(numbersOf(comma.table).length).toEqual([1.5, -0.25, 10]);
    expect(comma.warnings).toEqual([]);
  });

  it('decodes with the encoding it is given, and then has nothing to warn about', async () => {
    const latin = await read('latin1.csv', { encoding: 'latin1' });
    expect(textOf(latin.table).item).toEqual(['café', 'crème brûlée']);
    expect(latin.warnings).toEqual([]);
    // A wrong choice is followed too: UTF-8 bytes read as Latin-1.
    expect(textOf((await read('utf8-accents.csv', { encoding: 'latin1' })).table).item).toEqual(['cafÃ©', 'crÃ¨me brÃ»lÃ©e']);
  });

  it('counts only the given missing markers as missing', async () => {
    const defaults = await read('sentinel.csv');
    expect(numbersOf(defaults.table)).toEqual({ x: [1, 2, -999, NaN], y: [-999, 5, 6, 7] });
    const custom = await read('sentinel.csv', { missingMarkers: ['-999'] });
    expect(custom.missingMarkers).toEqual(['-999']);
    expect(textOf(custom.table)).toEqual({ x: ['1', '2', null, 'NA'], y: [null, '5', '6', '7'] });
    const [x, y] = custom.table.columns;
    expect([x!.missing, x!.nonNumeric, y!.missing]).toEqual([1, 1, 1]);
  });
});

describe('importCsv: result', () => {
  it('keeps the cells as text when asked, and reports the bytes read', async () => {
    const { text, preview, bytes, table } = await read('quoted.csv', { keepText: true });
    expect(text).toEqual([
      ['Smith, J.', 'say "hi"', '1'],
      ['plain', 'two\nlines', '2'],
      ['x', 'three\nline\nnote', '3'],
      ['last', '', '4'],
    ]);
    expect(preview).toEqual(text);
    expect(bytes).toBe(statSync(fixture('quoted.csv')).size);
    expect(table.source).toBe('quoted.csv');
    expect((await read('quoted.csv')).text).toBeNull();
  });
});

describe('importCsv: the file’s fingerprint', () => {
  it('is the SHA-256 of its bytes, whatever encoding it is read in', async () => {
    for (const name of ['lf.csv', 'bom.csv', 'utf16le.csv', 'latin1.csv']) {
      const expected = createHash('sha256').update(readFileSync(fixture(name))).digest('hex');
      expect((await read(name)).sha256, name).toBe(expected);
    }
  });
});
