import { beforeAll, describe, expect, it } from 'vitest';
import { decodeOutput, type NumericFeature, type OneHotFeature, type ValueTarget } from '../../engine/data/preprocessing';
import { prepareDataset } from '../../engine/data/dataset';
import { splitRows } from '../../engine/data/split';
import type { ColumnarTable } from '../../engine/data/columnar';
import { importCsv } from '../../main/data/import/import-csv';
import { BASE_OPTIONS, labelsOf, readDataset, tableOf } from './helpers';
import { fixture } from './import-helpers';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const column = labelsOf;
const meanStd = (values: number[]) => {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length) };
};

let iris: ColumnarTable;
let penguins: ColumnarTable;
let seedXor: ColumnarTable;
beforeAll(async () => {
  [iris, penguins, seedXor] = await Promise.all([readDataset('iris.csv'), readDataset('penguins.csv'), readDataset('seed-xor.csv')]);
});

describe('prepareDataset on iris', () => {
  it('fits standardisation on the training rows only', () => {
    const options = { ...BASE_OPTIONS, seed: 4 };
    const data = prepareDataset(iris, options);
    // The same seeded, stratified split the dataset makes, reproduced to know which rows trained.
    const split = splitRows(range(150), column(iris, 'species'), options, options.seed);
    expect([data.train.rows, data.val.rows, data.test!.rows]).toEqual([split.train.length, split.val.length, split.test.length]);
    expect([data.train.rows, data.val.rows, data.test!.rows]).toEqual([90, 30, 30]);
    data.preprocessing.features.forEach((f, i) => {
      const values = column(iris, iris.columns[i]!.name).map(Number);
      const fromTraining = meanStd(split.train.map((r) => values[r]!));
      const fromAll = meanStd(values);
      const feature = f as NumericFeature;
      expect(feature.kind).toBe('numeric');
      expect(feature.mean).toBeCloseTo(fromTraining.mean, 12);
      expect(feature.std).toBeCloseTo(fromTraining.std, 12);
      // Distinguishes a training-only fit from a fit on every row.
      expect(Math.abs(feature.mean - fromAll.mean)).toBeGreaterThan(1e-9);
    });
    // Every encoded training row is its raw row standardised, in ascending row order.
    split.train.forEach((r, n) => {
      data.preprocessing.features.forEach((f, i) => {
        const { mean, std } = f as NumericFeature;
        expect(data.train.x[n * 4 + i]).toBe(Math.fround((Number(column(iris, f.column)[r]) - mean) / std));
      });
    });
  });

  it('maps species to sorted classes with one-hot targets', () => {
    const data = prepareDataset(iris, BASE_OPTIONS);
    expect(data.task).toEqual({ kind: 'multiclass', reason: '' });
    expect(data.preprocessing.target).toEqual({ kind: 'classes', column: 'species', classes: ['setosa', 'versicolor', 'virginica'] });
    const split = splitRows(range(150), column(iris, 'species'), BASE_OPTIONS, BASE_OPTIONS.seed);
    split.val.forEach((r, n) => {
      const hot = [...data.val.y.subarray(n * 3, n * 3 + 3)];
      expect(['setosa', 'versicolor', 'virginica'][hot.indexOf(1)]).toBe(column(iris, 'species')[r]);
      expect(hot.reduce((a, b) => a + b)).toBe(1);
    });
    expect(data.features).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(data.ignored).toEqual([]);
    expect(data.warnings).toEqual([]);
    expect(data.rows).toEqual({ total: 150, used: 150, missingTarget: 0, missingFeature: 0 });
  });

  it('passes numbers through when standardisation is off', () => {
    const data = prepareDataset(iris, { ...BASE_OPTIONS, standardize: false });
    for (const f of data.preprocessing.features) expect(f).toMatchObject({ mean: 0, std: 1 });
    const split = splitRows(range(150), column(iris, 'species'), BASE_OPTIONS, BASE_OPTIONS.seed);
    expect(data.train.x[0]).toBe(Math.fround(Number(column(iris, 'sepal_length')[split.train[0]!])));
  });

  it('honours `ignore`, case-insensitively, without a warning', () => {
    const data = prepareDataset(iris, { ...BASE_OPTIONS, ignore: ['SEPAL_WIDTH'] });
    expect(data.features).toEqual(['sepal_length', 'petal_length', 'petal_width']);
    expect(data.ignored).toEqual([{ column: 'sepal_width', reason: 'ignored on request' }]);
    expect(data.warnings).toEqual([]);
    expect(data.train.x.length).toBe(data.train.rows * 3);
  });

  it('names the columns when asked to ignore or predict one that does not exist', () => {
    const columns = '"sepal_length", "sepal_width", "petal_length", "petal_width", "species"';
    expect(() => prepareDataset(iris, { ...BASE_OPTIONS, target: 'kind' })).toThrow(`iris.csv has no column "kind". Its columns are: ${columns}.`);
    expect(() => prepareDataset(iris, { ...BASE_OPTIONS, ignore: ['colour'] })).toThrow(/iris\.csv has no column "colour"/);
  });
});

describe('prepareDataset on penguins', () => {
  const options = { ...BASE_OPTIONS, target: 'Species' };

  it('one-hot encodes Island and Sex with vocabularies from the training rows', () => {
    const data = prepareDataset(penguins, options);
    const onehot = data.preprocessing.features.filter((f): f is OneHotFeature => f.kind === 'onehot');
    expect(onehot.map((f) => [f.column, f.categories])).toEqual([
      ['Island', ['Biscoe', 'Dream', 'Torgersen']],
      ['Sex', ['FEMALE', 'MALE']],
    ]);
    expect(data.preprocessing.features.filter((f) => f.kind === 'numeric').map((f) => f.column)).toEqual([
      'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)',
    ]);
    expect(data.train.x.length).toBe(data.train.rows * 9);
    expect(data.preprocessing.target).toMatchObject({ classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
  });

  it('drops the 11 rows with a missing measurement or Sex ("NA" or ".") under the drop policy', () => {
    const data = prepareDataset(penguins, { ...options, missingPolicy: 'drop' });
    expect(data.rows).toEqual({ total: 344, used: 333, missingTarget: 0, missingFeature: 11 });
    expect(data.train.rows + data.val.rows + data.test!.rows).toBe(333);
    expect(data.warnings).toContain('11 rows with missing feature values were left out.');
    // No surviving row may carry an unknown Sex: its two one-hot inputs sum to 1.
    for (let n = 0; n < data.train.rows; n++) expect(data.train.x[n * 9 + 7]! + data.train.x[n * 9 + 8]!).toBe(1);
  });

  it('keeps all 344 rows under the impute policy, filling numbers with the training mean and Sex with the training mode', () => {
    const data = prepareDataset(penguins, { ...options, missingPolicy: 'impute' });
    expect(data.rows).toEqual({ total: 344, used: 344, missingTarget: 0, missingFeature: 0 });
    expect(data.warnings).toContain('11 missing values in "Sex" were filled in from the training rows (their mean, or most common category).');
    expect(data.warnings).toContain('2 missing values in "Body Mass (g)" were filled in from the training rows (their mean, or most common category).');

    const split = splitRows(range(344), column(penguins, 'Species'), options, options.seed);
    const sexes = split.train.map((r) => column(penguins, 'Sex')[r]).filter((s) => s === 'MALE' || s === 'FEMALE');
    const males = sexes.filter((s) => s === 'MALE').length;
    const mode = males > sexes.length - males ? 'MALE' : 'FEMALE';
    expect(data.preprocessing.features.find((f) => f.column === 'Sex')).toMatchObject({ impute: mode });
    const mass = data.preprocessing.features.find((f) => f.column === 'Body Mass (g)') as NumericFeature;
    const present = split.train.map((r) => column(penguins, 'Body Mass (g)')[r]).filter((v) => v !== null).map(Number);
    expect(mass.impute).toBeCloseTo(meanStd(present).mean, 9);

    // File line 5 (row 3) lacks every measurement: standardised, the mean it is given encodes as 0.
    const row = 3;
    expect(penguins.lines[row]).toBe(5);
    const [part, x] = split.train.includes(row) ? [split.train, data.train.x] : split.val.includes(row) ? [split.val, data.val.x] : [split.test, data.test!.x];
    const n = part.indexOf(row);
    expect([...x.subarray(n * 9 + 3, n * 9 + 7)]).toEqual([0, 0, 0, 0]);
    const sexInputs = [...x.subarray(n * 9 + 7, n * 9 + 9)];
    expect(sexInputs).toEqual(mode === 'FEMALE' ? [1, 0] : [0, 1]);
  });

  it('reads "." as a value when the markers are only "NA", reporting it as unseen when training never had it', async () => {
    // Markers act when cells are typed, so the file is imported again with them.
    const onlyNa = await readDataset('penguins.csv', { missingMarkers: ['NA'] });
    const data = prepareDataset(onlyNa, { ...options, missingMarkers: ['NA'] });
    expect(data.rows).toMatchObject({ used: 334, missingFeature: 10 });
    const split = splitRows(range(344), column(penguins, 'Species'), options, options.seed);
    const dotRow = column(onlyNa, 'Sex').indexOf('.');
    expect(dotRow).toBeGreaterThan(-1);
    const sex = data.preprocessing.features.find((f) => f.column === 'Sex') as OneHotFeature;
    if (split.train.includes(dotRow)) expect(sex.categories).toContain('.');
    else expect(data.warnings).toContain('Column "Sex" has categories not seen in training: "." (1); they were encoded as no known category.');
  });

  it('always leaves out rows with a missing target and says how many', () => {
    for (const missingPolicy of ['drop', 'impute'] as const) {
      const data = prepareDataset(penguins, { ...BASE_OPTIONS, target: 'Sex', missingPolicy });
      expect(data.task.kind).toBe('binary');
      expect(data.rows).toEqual({ total: 344, used: 333, missingTarget: 11, missingFeature: 0 });
      expect(data.warnings).toContain('11 rows without a value for the target "Sex" were left out.');
    }
  });
});

describe('prepareDataset: targets', () => {
  it('sorts numeric class codes numerically and explains reading them as classes', () => {
    const rows = range(30).map((i) => [String(i % 7), ['1', '2', '10'][i % 3]!]);
    const data = prepareDataset(tableOf(['x', 'code'], rows), BASE_OPTIONS);
    expect(data.preprocessing.target).toEqual({ kind: 'classes', column: 'code', classes: ['1', '2', '10'] });
    expect(data.task.kind).toBe('multiclass');
    expect(data.warnings[0]).toContain('--task regression');
  });

  it('scales a regression target by the training rows and decodes predictions back', () => {
    const rows = range(40).map((i) => [String(i), String(1.5 * i + 0.25)]);
    const table = tableOf(['x', 'y'], rows);
    const data = prepareDataset(table, BASE_OPTIONS);
    expect(data.task).toEqual({ kind: 'regression', reason: '' });
    const target = data.preprocessing.target as ValueTarget;
    const split = splitRows(range(40), null, BASE_OPTIONS, BASE_OPTIONS.seed);
    const expected = meanStd(split.train.map((r) => 1.5 * r + 0.25));
    expect(target.mean).toBeCloseTo(expected.mean, 12);
    expect(target.std).toBeCloseTo(expected.std, 12);
    split.test.forEach((r, n) => {
      expect(data.test!.y[n]).toBeCloseTo((1.5 * r + 0.25 - target.mean) / target.std, 6);
      expect(decodeOutput(target, data.test!.y, n).prediction).toBeCloseTo(1.5 * r + 0.25, 4);
    });
  });
});

describe('prepareDataset: column roles', () => {
  it('keeps the constant x3 of seed-xor as an unscaled input when asked', () => {
    const data = prepareDataset(seedXor, { ...BASE_OPTIONS, val: 0, test: 0, keepConstant: true });
    expect(data.features).toEqual(['x1', 'x2', 'x3']);
    expect(data.preprocessing.features[2]).toEqual({ kind: 'numeric', column: 'x3', mean: 0, std: 1, impute: 1 });
    expect(data.train.rows).toBe(4);
    for (let n = 0; n < 4; n++) expect(data.train.x[n * 3 + 2]).toBe(1);
    expect(data.preprocessing.target).toMatchObject({ classes: ['0', '1'] });
  });

  it('ignores the constant x3 otherwise, with a reason', () => {
    const data = prepareDataset(seedXor, { ...BASE_OPTIONS, val: 0, test: 0 });
    expect(data.features).toEqual(['x1', 'x2']);
    expect(data.ignored).toEqual([{ column: 'x3', reason: 'it has only one value' }]);
    expect(data.warnings).toContain('Column "x3" is ignored: it has only one value.');
  });

  it('does not keep a constant text column, even one spelled like a hexadecimal number', () => {
    const rows = range(12).map((i) => [String(i), 'abc', '0x10', i % 2 ? 'a' : 'b']);
    const data = prepareDataset(tableOf(['x', 'word', 'hex', 'y'], rows), { ...BASE_OPTIONS, keepConstant: true });
    expect(data.features).toEqual(['x']);
    expect(data.ignored.map((i) => i.column)).toEqual(['word', 'hex']);
    expect(data.rows.used).toBe(12);
  });

  it('ignores identifier columns, saying why', () => {
    const rows = range(25).map((i) => [`p-${i}`, String(i % 5), i % 2 ? 'a' : 'b']);
    const data = prepareDataset(tableOf(['id', 'x', 'y'], rows), BASE_OPTIONS);
    expect(data.features).toEqual(['x']);
    expect(data.ignored).toEqual([{ column: 'id', reason: 'every value is different (25 distinct), like an identifier' }]);
    expect(data.warnings).toContain('Column "id" is ignored: every value is different (25 distinct), like an identifier.');
  });

  it('refuses when no feature is left', () => {
    const rows = range(6).map((i) => ['k', i % 2 ? 'a' : 'b']);
    expect(() => prepareDataset(tableOf(['k', 'y'], rows), BASE_OPTIONS)).toThrow('No feature columns are left to learn from: "k" (it has only one value).');
  });

  it('encodes a category unseen in training as zeros and reports it', () => {
    const train = tableOf(['colour', 'y'], range(12).map((i) => [i % 2 ? 'red' : 'blue', i % 2 ? 'a' : 'b']));
    const test = tableOf(['colour', 'y'], [['green', 'a'], ['red', 'b'], ['green', 'b']], 'test.csv');
    const data = prepareDataset(train, { ...BASE_OPTIONS, testTable: test });
    expect(data.test!.rows).toBe(3);
    expect([...data.test!.x]).toEqual([0, 0, 0, 1, 0, 0]);
    expect(data.warnings).toContain('Column "colour" has categories not seen in training: "green" (2); they were encoded as no known category.');
    // A supplied test file replaces the test fraction: every row of the main file trains or validates.
    expect(data.train.rows + data.val.rows).toBe(12);
  });
});

describe('prepareDataset: cells that are not numbers, from a file', () => {
  // Through the importer, so the line numbers are the file's (with a blank line making them differ from row + 2).
  const imported = async (name: string) => (await importCsv(fixture(name))).table;

  it('keeps a column with a couple of typos numeric, names their lines and treats them as missing', async () => {
    const data = prepareDataset(await imported('typos.csv'), BASE_OPTIONS);
    const length = data.columns.find((c) => c.name === 'length')!;
    expect(length.type).toBe('numeric');
    expect(length.invalid).toEqual({ count: 2, examples: [{ row: 5, value: '12..5' }, { row: 30, value: 'abc' }] });
    expect(data.preprocessing.features[0]).toMatchObject({ kind: 'numeric', column: 'length' });
    expect(data.warnings).toContain('2 cells in the numeric column "length" are not a number (line 7: "12..5", line 33: "abc"); they are treated as missing.');
    expect(data.rows).toEqual({ total: 44, used: 42, missingTarget: 0, missingFeature: 2 });
  });

  it('imputes such cells under the impute policy like any missing value', async () => {
    const data = prepareDataset(await imported('typos.csv'), { ...BASE_OPTIONS, missingPolicy: 'impute' });
    expect(data.rows.used).toBe(44);
    expect(data.warnings).toContain('2 missing values in "length" were filled in from the training rows (their mean, or most common category).');
  });

  it('refuses a regression target with a cell that is not a number, naming its line and value', async () => {
    const table = await imported('regression-typo.csv');
    expect(() => prepareDataset(table, BASE_OPTIONS)).toThrow(
      'The target "y" is predicted as a number, but one of its cells is not a number (line 14: "ten"). Correct them, or list them as missing values with --missing.',
    );
    // Declared missing, the cell is left out like any missing target.
    const declared = (await importCsv(fixture('regression-typo.csv'), { missingMarkers: ['', 'ten'] })).table;
    expect(prepareDataset(declared, BASE_OPTIONS).rows).toMatchObject({ total: 30, missingTarget: 1 });
  });

  it('reads numeric class codes 0/1/2 as three classes and says why', async () => {
    const data = prepareDataset(await imported('class-codes.csv'), BASE_OPTIONS);
    expect(data.task).toEqual({
      kind: 'multiclass',
      reason: 'The target "class" holds 3 distinct whole numbers, so they are treated as class codes; use --task regression to predict it as a number.',
    });
    expect(data.preprocessing.target).toEqual({ kind: 'classes', column: 'class', classes: ['0', '1', '2'] });
    expect(data.warnings[0]).toBe(data.task.reason);
  });
});

describe('prepareDataset: unusable tables', () => {
  it('refuses a header without rows', () => {
    expect(() => prepareDataset(tableOf(['a', 'b'], [], 'empty.csv'), BASE_OPTIONS)).toThrow('empty.csv has a header but no data rows.');
  });

  it('refuses a single column', () => {
    expect(() => prepareDataset(tableOf(['a'], [['1'], ['2']], 'one.csv'), BASE_OPTIONS)).toThrow(
      'one.csv has a single column; nnlab needs at least one feature column and a target column.',
    );
  });
});
