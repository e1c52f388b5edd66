import { describe, expect, it } from 'vitest';
import { ColumnBuilder, DICTIONARY_LIMIT, type ColumnData } from '../../engine/data/column-builder';
import type { ColumnarTable } from '../../engine/data/columnar';
import {
  decodeOutput, emptyIssues, fitFeature, fitTarget, inputNames, inputWidth, outputWidth, RowEncoder,
  type ClassTarget, type Preprocessing, type ValueTarget,
} from '../../engine/data/preprocessing';
import { DEFAULT_MISSING_MARKERS } from '../../engine/data/table';

const MARKERS = new Set(DEFAULT_MISSING_MARKERS);

/** A typed column from cells; null is a missing cell. */
function columnOf(name: string, cells: (string | null)[]): ColumnData {
  const builder = new ColumnBuilder(name, MARKERS);
  for (const cell of cells) builder.push(cell ?? 'NA');
  return builder.finish();
}

/** A typed table from rows given as objects; absent or null cells are missing. */
function tableFrom(rows: Record<string, string | null>[], source = 'rows.csv'): ColumnarTable {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return {
    source,
    columns: names.map((n) => columnOf(n, rows.map((r) => r[n] ?? null))),
    rows: rows.length,
    lines: Uint32Array.from(rows, (_, i) => i + 2),
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('fitFeature', () => {
  const v = columnOf('v', ['1', '3', null, '8', '100']);

  it('standardises with the mean and population std of the given rows only, skipping missing cells', () => {
    // Rows 0, 1 and 3: values 1, 3, 8; the outlier in row 4 is not in the fit.
    const f = fitFeature('numeric', v, [0, 1, 2, 3], true);
    const mean = 4;
    const std = Math.sqrt((9 + 1 + 16) / 3);
    expect(f).toEqual({ kind: 'numeric', column: 'v', mean, std: expect.closeTo(std, 12), impute: mean });
  });

  it('passes values through (mean 0, std 1) without standardisation, still imputing the mean', () => {
    expect(fitFeature('numeric', v, [0, 1, 3], false)).toEqual({ kind: 'numeric', column: 'v', mean: 0, std: 1, impute: 4 });
  });

  it('passes a column that does not vary through unscaled', () => {
    expect(fitFeature('numeric', columnOf('v', ['1', '1']), [0, 1], true)).toEqual({ kind: 'numeric', column: 'v', mean: 0, std: 1, impute: 1 });
  });

  it('lists categories of the given rows in label order and imputes the most common one', () => {
    // "z" sits in row 5, outside the fit.
    const c = columnOf('c', ['b', 'a', 'b', null, 'c', 'z']);
    expect(fitFeature('categorical', c, [0, 1, 2, 3, 4], true)).toEqual({ kind: 'onehot', column: 'c', categories: ['a', 'b', 'c'], impute: 'b' });
    // Numeric-looking categories are ordered as numbers.
    expect(fitFeature('categorical', columnOf('c', ['10', '9', '100']), [0, 1, 2], true)).toMatchObject({ categories: ['9', '10', '100'] });
  });

  it('breaks a tie for the most common category by label order', () => {
    expect(fitFeature('categorical', columnOf('c', ['y', 'x', 'y', 'x']), range(4), true)).toMatchObject({ impute: 'x' });
  });

  it('keeps categories as written, not as the numbers they parse to', () => {
    // "1.0" and "1" are one number but two labels; the dictionary, not the number, is the category.
    const f = fitFeature('categorical', columnOf('c', ['1.0', '1', '2']), range(3), true);
    expect(f.kind === 'onehot' && [...f.categories].sort()).toEqual(['1', '1.0', '2']);
  });
});

describe('fitTarget', () => {
  it('takes classes from the labels it is given, once each, ordered numerically when they are numbers', () => {
    // The rows do not add classes: the caller passes the labels of every usable row.
    const t = fitTarget('classes', columnOf('y', ['10', '2', null, '7']), [0, 1, 2, 3], ['10', '2', '1', '10']);
    expect(t).toEqual({ kind: 'classes', column: 'y', classes: ['1', '2', '10'] });
  });

  it('scales a value target by the given rows’ mean and std, and by 1 when they do not vary', () => {
    const y = columnOf('y', ['2', '4', '9']);
    expect(fitTarget('value', y, [0, 1])).toEqual({ kind: 'value', column: 'y', mean: 3, std: 1 });
    const t = fitTarget('value', y, [0, 1, 2]) as ValueTarget;
    expect(t.mean).toBe(5);
    expect(t.std).toBeCloseTo(Math.sqrt((9 + 1 + 16) / 3), 12);
    expect(fitTarget('value', y, [0])).toEqual({ kind: 'value', column: 'y', mean: 2, std: 1 });
  });

  it('leaves missing cells out of the value scaling', () => {
    expect(fitTarget('value', columnOf('y', ['2', null, '4']), [0, 1, 2])).toEqual({ kind: 'value', column: 'y', mean: 3, std: 1 });
  });
});

describe('RowEncoder: features', () => {
  const p: Preprocessing = {
    features: [
      { kind: 'numeric', column: 'n', mean: 2, std: 4, impute: 6 },
      { kind: 'onehot', column: 'c', categories: ['a', 'b', 'c'], impute: 'b' },
    ],
    target: { kind: 'classes', column: 'y', classes: ['no', 'yes'] },
    missingMarkers: ['NA'],
    missingPolicy: 'impute',
  };

  it('sizes and names the inputs', () => {
    expect(inputWidth(p)).toBe(4);
    expect(inputNames(p)).toEqual(['n', 'c=a', 'c=b', 'c=c']);
  });

  it('writes standardised numbers and one-hot categories at the offset', () => {
    const x = new Float32Array(8).fill(-1);
    const issues = emptyIssues();
    const encoder = new RowEncoder(p, tableFrom([{ n: '0', c: 'a' }, { n: '10', c: 'c' }]));
    expect(encoder.features(1, x, 4, issues)).toBe(true);
    expect([...x]).toEqual([-1, -1, -1, -1, 2, 0, 0, 1]);
    expect(issues).toEqual(emptyIssues());
  });

  it('imputes missing and non-numeric cells under the impute policy and counts them per column', () => {
    const x = new Float32Array(4);
    const issues = emptyIssues();
    // "n/a" is no missing marker but is not a number either; both are imputed.
    const encoder = new RowEncoder(p, tableFrom([{ n: 'n/a', c: null }, { n: '1', c: 'a' }]));
    expect(encoder.features(0, x, 0, issues)).toBe(true);
    // The numeric impute value 6 standardises to (6 − 2) / 4 = 1; the missing category becomes the mode "b".
    expect([...x]).toEqual([1, 0, 1, 0]);
    expect([...issues.imputed]).toEqual([['n', 1], ['c', 1]]);
  });

  it('refuses a row with a missing cell under the drop policy', () => {
    const drop: Preprocessing = { ...p, missingPolicy: 'drop' };
    const issues = emptyIssues();
    const encoder = new RowEncoder(drop, tableFrom([{ n: '1', c: null }, { n: null, c: 'a' }]));
    expect(encoder.features(0, new Float32Array(4), 0, issues)).toBe(false);
    expect(encoder.features(1, new Float32Array(4), 0, issues)).toBe(false);
    expect(issues.imputed.size).toBe(0);
  });

  it('encodes a category never seen in training as all zeros and reports it with a count', () => {
    const x = new Float32Array(8).fill(9);
    const issues = emptyIssues();
    const encoder = new RowEncoder(p, tableFrom([{ n: '2', c: 'purple' }, { n: '2', c: 'purple' }]));
    encoder.features(0, x, 0, issues);
    encoder.features(1, x, 4, issues);
    expect([...x]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...issues.unseen.get('c')!]).toEqual([['purple', 2]]);
  });

  it('maps each table’s own dictionary to the training categories, whatever order values first appear in', () => {
    // This table meets "c" first, so its dictionary codes differ from the category order.
    const encoder = new RowEncoder(p, tableFrom([{ n: '2', c: 'c' }, { n: '2', c: 'a' }, { n: '2', c: 'b' }]));
    const x = new Float32Array(12);
    for (const r of [0, 1, 2]) encoder.features(r, x, r * 4, emptyIssues());
    expect([...x]).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0]);
  });

  it('still encodes categories in a column with too many distinct values for a dictionary', () => {
    // Past DICTIONARY_LIMIT the column keeps only numbers, so labels are rebuilt from them.
    const cells = Array.from({ length: DICTIONARY_LIMIT + 2 }, (_, i) => String(i + 10));
    cells[0] = '1';
    const numeric: Preprocessing = { ...p, features: [{ kind: 'onehot', column: 'k', categories: ['1', '2'], impute: '1' }] };
    const table = tableFrom(cells.map((k) => ({ k })));
    expect(table.columns[0]!.codes).toBeNull();
    const x = new Float32Array(4);
    const issues = emptyIssues();
    const encoder = new RowEncoder(numeric, table);
    encoder.features(0, x, 0, issues);
    encoder.features(1, x, 2, issues);
    expect([...x]).toEqual([1, 0, 0, 0]);
    expect([...issues.unseen.get('k')!]).toEqual([['11', 1]]);
  });

  it('finds columns whatever their case, and names the columns a table lacks', () => {
    const encoder = new RowEncoder(p, tableFrom([{ N: '6', C: 'b' }]));
    const x = new Float32Array(4);
    expect(encoder.features(0, x, 0, emptyIssues())).toBe(true);
    expect([...x]).toEqual([1, 0, 1, 0]);
    expect(() => new RowEncoder(p, tableFrom([{ x: '1' }], 'new.csv'))).toThrow('new.csv lacks columns the model needs: "n", "c".');
    expect(() => new RowEncoder(p, tableFrom([{ n: '1' }], 'new.csv'))).toThrow('new.csv lacks column the model needs: "c".');
  });
});

describe('RowEncoder: targets', () => {
  const features: Preprocessing['features'] = [{ kind: 'numeric', column: 'n', mean: 0, std: 1, impute: 0 }];
  const two: ClassTarget = { kind: 'classes', column: 'y', classes: ['no', 'yes'] };
  const three: ClassTarget = { kind: 'classes', column: 'y', classes: ['a', 'b', 'c'] };
  const value: ValueTarget = { kind: 'value', column: 'y', mean: 10, std: 2 };
  const encoderFor = (target: ClassTarget | ValueTarget, ys: (string | null)[]) =>
    new RowEncoder({ features, target, missingMarkers: ['NA'], missingPolicy: 'drop' }, tableFrom(ys.map((y) => ({ n: '1', y }))));

  it('needs one output for two classes or a value, one per class otherwise', () => {
    expect([outputWidth(two), outputWidth(three), outputWidth(value)]).toEqual([1, 3, 1]);
  });

  it('encodes two classes as 0/1, more as one-hot, and a value standardised', () => {
    const y = new Float32Array(3).fill(7);
    expect(encoderFor(two, ['no', 'yes']).target(1, y, 0)).toBe(true);
    expect(y[0]).toBe(1);
    expect(encoderFor(two, ['no', 'yes']).target(0, y, 0)).toBe(true);
    expect(y[0]).toBe(0);
    expect(encoderFor(three, ['c', 'b']).target(1, y, 0)).toBe(true);
    expect([...y]).toEqual([0, 1, 0]);
    expect(encoderFor(value, ['13']).target(0, y, 2)).toBe(true);
    expect(y[2]).toBe(1.5);
  });

  it('refuses a missing target, an unknown class and a non-numeric value', () => {
    const y = new Float32Array(3);
    expect(encoderFor(three, [null]).target(0, y, 0)).toBe(false);
    expect(encoderFor(three, ['d']).target(0, y, 0)).toBe(false);
    expect(encoderFor(value, ['ten']).target(0, y, 0)).toBe(false);
  });

  it('has no target when the table lacks the column, as a file to predict may', () => {
    const encoder = new RowEncoder({ features, target: two, missingMarkers: ['NA'], missingPolicy: 'drop' }, tableFrom([{ n: '1' }]));
    expect(encoder.hasTarget).toBe(false);
    expect(encoder.target(0, new Float32Array(1), 0)).toBe(false);
    expect(encoderFor(two, ['no']).hasTarget).toBe(true);
  });

  it('decodes outputs back to labels with probabilities, and values back to their scale', () => {
    expect(decodeOutput(two, [0.25], 0)).toEqual({ prediction: 'no', probabilities: [0.75, 0.25] });
    expect(decodeOutput(two, [0.9], 0).prediction).toBe('yes');
    expect(decodeOutput(three, [9, 0.1, 0.7, 0.2], 1)).toEqual({ prediction: 'b', probabilities: [0.1, 0.7, 0.2] });
    expect(decodeOutput(value, [0, -1.5], 1)).toEqual({ prediction: 7 });
  });
});
