import { beforeAll, describe, expect, it } from 'vitest';
import { prepareDataset } from '../../engine/data/dataset';
import { rareClasses, widerThanRows } from '../../engine/data/design-warnings';
import { partSizes } from '../../engine/data/split';
import type { ColumnarTable } from '../../engine/data/columnar';
import { BASE_OPTIONS, readDataset, tableOf } from './helpers';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `rows` rows of `features` noisy numeric columns and a two-class target. */
function wideTable(features: number, rows: number) {
  const names = [...range(features).map((i) => `f${i + 1}`), 'y'];
  const cells = range(rows).map((r) => [...range(features).map((c) => String(((r * 7919 + c * 104729) % 1000) / 10)), r % 2 ? 'a' : 'b']);
  return tableOf(names, cells);
}

describe('designs that cannot work', () => {
  it('says there are more inputs than training rows: 1,999 features against 36 training rows', () => {
    // 60 rows, 20 % validation and 20 % test, stratified over two classes of 30: 18 + 18 training rows.
    const data = prepareDataset(wideTable(1999, 60), BASE_OPTIONS);
    expect(data.train.rows).toBe(36);
    expect(data.warnings).toContain('There are more inputs than training rows (1,999 feature columns against 36 training rows): a network can then fit every training row exactly and still predict new rows badly. Leave out the columns that matter least, or use more rows.');
  });

  it('says nothing of width when the training rows outnumber the inputs', () => {
    const data = prepareDataset(wideTable(30, 60), BASE_OPTIONS);
    expect(data.warnings.some((w) => w.includes('more inputs than training rows'))).toBe(false);
  });

  it('counts one-hot inputs apart from the feature columns they come from', () => {
    expect(widerThanRows(12, 3, 10)).toContain('(12 inputs from 3 feature columns against 10 training rows)');
    expect(widerThanRows(10, 10, 10)).toBeNull();
  });

  it('names a class with 2 rows, and how many it has', () => {
    const rows = range(40).map((r) => [String(r % 7), String((r * 13) % 11), r < 2 ? 'rare' : r % 2 ? 'a' : 'b']);
    const data = prepareDataset(tableOf(['x1', 'x2', 'y'], rows), BASE_OPTIONS);
    expect(data.warnings).toContain('Class "rare" of "y" has only 2 rows: too few to learn it, or to give it a row among the training, validation and test rows each. Add rows of that class, or leave them out of the file.');
    expect(data.warnings.filter((w) => w.startsWith('Class "')).length).toBe(1);
  });

  it('leaves a table too small to trust to the too-little-data caution (the seed XOR has 2 rows a class)', () => {
    expect(rareClasses('y', [['0', 2], ['1', 2]])).toEqual([]);
    expect(rareClasses('y', [['a', 9], ['b', 1], ['c', 2]])).toEqual([
      expect.stringContaining('Class "b" of "y" has only one row'),
      expect.stringContaining('Class "c" of "y" has only 2 rows'),
    ]);
  });

  it('sizes the parts as the split does', () => {
    expect(partSizes(30, { val: 0.2, test: 0.2 })).toEqual({ train: 18, val: 6, test: 6 });
    expect(partSizes(2, { val: 0.2, test: 0.2 })).toEqual({ train: 2, val: 0, test: 0 });
  });
});

describe('constant columns kept by name', () => {
  let seedXor: ColumnarTable;
  beforeAll(async () => {
    seedXor = await readDataset('seed-xor.csv');
  });

  it('keeps a named constant as an input, with a note of why it is usually left out', () => {
    const data = prepareDataset(seedXor, { ...BASE_OPTIONS, val: 0, test: 0, keepConstant: ['X3'] });
    expect(data.features).toEqual(['x1', 'x2', 'x3']);
    for (let n = 0; n < 4; n++) expect(data.train.x[n * 3 + 2]).toBe(1);
    expect(data.warnings).toContain('Column "x3" has only one value and is kept as an input on request: a constant tells no rows apart, so it is usually left out; in a network without biases it plays the bias, as in the seed.');
  });

  it('leaves every constant out when the list is empty', () => {
    const data = prepareDataset(seedXor, { ...BASE_OPTIONS, val: 0, test: 0, keepConstant: [] });
    expect(data.features).toEqual(['x1', 'x2']);
  });

  it('refuses a column the file does not have, naming its columns', () => {
    expect(() => prepareDataset(seedXor, { ...BASE_OPTIONS, val: 0, test: 0, keepConstant: ['bias'] })).toThrow(/has no column "bias"\. Its columns are: "x1", "x2", "x3", "y"\./);
  });
});
