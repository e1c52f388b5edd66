import { describe, expect, it } from 'vitest';
import { DEFAULT_MISSING_MARKERS } from '../../engine/data/table';
import { columnTable, describeTable, tableOf } from './helpers';

const DEFAULT = new Set(DEFAULT_MISSING_MARKERS);
const summarize = (cells: string[], markers: ReadonlySet<string> = DEFAULT) => describeTable(columnTable('c', cells), markers)[0]!;

describe('describeColumn: numbers', () => {
  it('computes min, max, mean and the population standard deviation', () => {
    // 2,4,4,4,5,5,7,9: mean 5, squared deviations sum to 32, population variance 4.
    const s = summarize(['2', '4', '4', '4', '5', '5', '7', '9']);
    expect(s.type).toBe('numeric');
    expect(s.stats).toEqual({ min: 2, max: 9, mean: 5, std: 2 });
    expect(s.missing).toBe(0);
    expect(s.distinct).toBe(5);
  });

  it('leaves missing cells out of the statistics and marks decimals as not whole', () => {
    const s = summarize(['1.5', 'NA', '2.5', '', '3.5e0', '-0.5']);
    expect(s.type).toBe('numeric');
    expect(s.missing).toBe(2);
    expect(s.integers).toBe(false);
    expect(s.categories).toBeUndefined();
    // Present values 1.5, 2.5, 3.5, -0.5: mean 1.75, deviations -0.25, 0.75, 1.75, -2.25.
    const mean = 1.75;
    const std = Math.sqrt((0.25 ** 2 + 0.75 ** 2 + 1.75 ** 2 + 2.25 ** 2) / 4);
    expect(s.stats!.mean).toBeCloseTo(mean, 12);
    expect(s.stats!.std).toBeCloseTo(std, 12);
    expect(s.stats!.min).toBe(-0.5);
    expect(s.stats!.max).toBe(3.5);
  });

  it('treats a column with one non-number as text', () => {
    const s = summarize(['1', '2', '3', 'three']);
    expect(s.type).toBe('categorical');
    expect(s.stats).toBeUndefined();
  });

  it('does not accept number-like spellings outside plain decimals ("0x10", "1,5", "Infinity")', () => {
    expect(summarize(['0x10', '1', '2']).type).toBe('categorical');
    expect(summarize(['1,5', '2', '3']).type).toBe('categorical');
    expect(summarize(['Infinity', '1', '2']).type).toBe('categorical');
  });

  it('gives small sets of whole numbers class-code categories, ordered by count then numerically', () => {
    const s = summarize(['0', '1', '2', '1', '0', '2', '2']);
    expect(s.type).toBe('numeric');
    expect(s.integers).toBe(true);
    expect(s.categories).toEqual([
      { label: '2', count: 3 },
      { label: '0', count: 2 },
      { label: '1', count: 2 },
    ]);
    // Tied counts fall back to numeric order, so "2" comes before "10".
    expect(summarize(['10', '2', '10', '2']).categories!.map((c) => c.label)).toEqual(['2', '10']);
  });

  it('gives whole numbers no categories once there are more than 20 distinct values', () => {
    const twenty = summarize(Array.from({ length: 20 }, (_, i) => String(i)));
    expect(twenty.categories).toHaveLength(20);
    const many = summarize(Array.from({ length: 25 }, (_, i) => String(i)));
    expect(many.type).toBe('numeric');
    expect(many.integers).toBe(true);
    expect(many.categories).toBeUndefined();
  });
});

describe('describeColumn: numbers with a few typos', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => String(i % 7));

  it('keeps a column numeric when at most 5% of its present cells are not numbers, listing them by row', () => {
    // 59 present cells, 2 of them typos: 3.4%.
    const cells = numbers(60);
    cells[3] = '12..5';
    cells[30] = 'abc';
    cells[31] = 'NA';
    const s = summarize(cells);
    expect(s.type).toBe('numeric');
    expect(s.missing).toBe(1);
    expect(s.invalid).toEqual({ count: 2, examples: [{ row: 3, value: '12..5' }, { row: 30, value: 'abc' }] });
    // The typos count in neither the statistics nor the missing cells.
    const present = cells.filter((c, i) => i !== 3 && i !== 30 && c !== 'NA').map(Number);
    expect(s.stats!.mean).toBeCloseTo(present.reduce((a, b) => a + b, 0) / present.length, 12);
  });

  it('calls the column categorical once more than 5% of it is text', () => {
    // 1 in 20 is exactly 5%; 2 in 20 is more.
    const one = numbers(20);
    one[0] = 'x';
    expect(summarize(one).type).toBe('numeric');
    const two = numbers(20);
    two[0] = 'x';
    two[1] = 'y';
    const text = summarize(two);
    expect(text.type).toBe('categorical');
    expect(text).not.toHaveProperty('invalid');
  });

  it('keeps only the first five examples but counts every typo', () => {
    const cells = numbers(200);
    for (let i = 0; i < 8; i++) cells[i * 10] = `bad${i}`;
    const s = summarize(cells);
    expect(s.invalid!.count).toBe(8);
    expect(s.invalid!.examples.map((e) => e.row)).toEqual([0, 10, 20, 30, 40]);
  });
});

describe('describeColumn: histogram', () => {
  it('bins present values into 20 equal bins from min to max, the maximum in the last bin', () => {
    const s = summarize(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'NA']);
    const { edges, counts } = s.histogram!;
    expect(edges).toHaveLength(21);
    expect(edges[0]).toBe(0);
    expect(edges[20]).toBe(10);
    expect(edges[1]).toBe(0.5);
    // Width 0.5: value v lands in bin 2v, and 10 is clamped into bin 19 rather than a 21st bin.
    const expected = new Array<number>(20).fill(0);
    for (let v = 0; v < 10; v++) expected[2 * v] = 1;
    expected[19] = 1;
    expect(counts).toEqual(expected);
  });
});

describe('describeColumn: text', () => {
  it('counts categories, most frequent first and ties alphabetically', () => {
    const s = summarize(['red', 'blue', 'red', 'green', 'red', 'blue', 'amber', 'green']);
    expect(s.type).toBe('categorical');
    expect(s.distinct).toBe(4);
    expect(s.categories).toEqual([
      { label: 'red', count: 3 },
      { label: 'blue', count: 2 },
      { label: 'green', count: 2 },
      { label: 'amber', count: 1 },
    ]);
  });

  it('recognises yes/no and true/false pairs as booleans, whatever their case', () => {
    const yesNo = summarize(['yes', 'no', 'no', 'NA']);
    expect(yesNo.type).toBe('boolean');
    expect(yesNo.missing).toBe(1);
    expect(yesNo.categories).toEqual([{ label: 'no', count: 2 }, { label: 'yes', count: 1 }]);
    expect(summarize(['True', 'False', 'True']).type).toBe('boolean');
    expect(summarize(['Y', 'N']).type).toBe('boolean');
  });

  it('does not call any two-valued text column boolean', () => {
    expect(summarize(['yes', 'maybe', 'yes']).type).toBe('categorical');
    // Three spellings are three values, not a pair.
    expect(summarize(['yes', 'no', 'Yes']).type).toBe('categorical');
  });

  it('calls a column of one value constant, ignoring missing cells', () => {
    const s = summarize(['a', 'a', 'NA', 'a']);
    expect(s.type).toBe('constant');
    expect(s.missing).toBe(1);
    expect(s.categories).toEqual([{ label: 'a', count: 3 }]);
    expect(summarize(['5', '5', '5']).type).toBe('constant');
    const empty = summarize(['NA', '', '?']);
    expect(empty.type).toBe('constant');
    expect(empty.distinct).toBe(0);
    expect(empty.missing).toBe(3);
  });

  it('calls all-distinct text over more than 20 rows an identifier, but not at 20 rows', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${i}`);
    const identifier = summarize(ids(21));
    expect(identifier.type).toBe('identifier');
    expect(identifier.distinct).toBe(21);
    expect(identifier.categories).toBeUndefined();
    expect(summarize(ids(20)).type).toBe('categorical');
  });

  it('calls long distinct values free text rather than an identifier', () => {
    const notes = Array.from({ length: 30 }, (_, i) => `customer ${i} called about a late delivery`);
    expect(summarize(notes)).toEqual({ name: 'c', type: 'text', missing: 0, distinct: 30 });
  });

  it('calls text with more than 100 distinct values an identifier even when some repeat', () => {
    const cells = [...Array.from({ length: 101 }, (_, i) => `v${i}`), 'v0', 'v1'];
    expect(summarize(cells).type).toBe('identifier');
  });
});

describe('missing markers', () => {
  it('counts every default marker as missing', () => {
    const cells = ['1', ...DEFAULT_MISSING_MARKERS, '2'];
    const s = summarize(cells);
    expect(s.missing).toBe(DEFAULT_MISSING_MARKERS.length);
    expect(s.type).toBe('numeric');
    expect(s.stats).toMatchObject({ min: 1, max: 2, mean: 1.5 });
  });

  it('uses a custom marker set instead of the defaults', () => {
    const s = summarize(['1', '-999', '2', '-999', '3'], new Set(['-999']));
    expect(s.missing).toBe(2);
    expect(s.stats!.mean).toBe(2);
    // "NA" is no longer a marker, so it is a value and the column is text.
    const t = summarize(['1', 'NA', '-999'], new Set(['-999']));
    expect(t.missing).toBe(1);
    expect(t.type).toBe('categorical');
  });
});

describe('describeColumn on every column of a table', () => {
  it('types every column in order', () => {
    const table = tableOf(['n', 'c', 'k'], [['1', 'a', 'x'], ['2', 'b', 'x'], ['3.5', 'a', 'x']]);
    expect(describeTable(table, DEFAULT).map((s) => [s.name, s.type])).toEqual([
      ['n', 'numeric'],
      ['c', 'categorical'],
      ['k', 'constant'],
    ]);
  });
});
