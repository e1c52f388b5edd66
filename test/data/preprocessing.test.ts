import { describe, expect, it } from 'vitest';
import {
  decodeOutput, emptyIssues, encodeFeatures, encodeTarget, fitFeature, fitTarget, inputNames, inputWidth, outputWidth,
  type CellReader, type ClassTarget, type Preprocessing, type ValueTarget,
} from '../../engine/data/preprocessing';

/** A reader over rows given as objects; absent or null cells are missing. */
function readerOf(rows: Record<string, string | null>[]): CellReader {
  return (row, column) => rows[row]?.[column] ?? null;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('fitFeature', () => {
  const rows = [{ v: '1' }, { v: '3' }, { v: null }, { v: '8' }, { v: '100' }];
  const read = readerOf(rows);

  it('standardises with the mean and population std of the given rows only, skipping missing cells', () => {
    // Rows 0, 1 and 3: values 1, 3, 8; the outlier in row 4 is not in the fit.
    const f = fitFeature('numeric', 'v', [0, 1, 2, 3], read, true);
    const mean = 4;
    const std = Math.sqrt((9 + 1 + 16) / 3);
    expect(f).toEqual({ kind: 'numeric', column: 'v', mean, std: expect.closeTo(std, 12), impute: mean });
  });

  it('passes values through (mean 0, std 1) without standardisation, still imputing the mean', () => {
    expect(fitFeature('numeric', 'v', [0, 1, 3], read, false)).toEqual({ kind: 'numeric', column: 'v', mean: 0, std: 1, impute: 4 });
  });

  it('passes a column that does not vary through unscaled', () => {
    const constant = readerOf([{ v: '1' }, { v: '1' }]);
    expect(fitFeature('numeric', 'v', [0, 1], constant, true)).toEqual({ kind: 'numeric', column: 'v', mean: 0, std: 1, impute: 1 });
  });

  it('lists categories in label order and imputes the most common one', () => {
    const cats = readerOf([{ c: 'b' }, { c: 'a' }, { c: 'b' }, { c: null }, { c: 'c' }, { c: 'z' }]);
    expect(fitFeature('categorical', 'c', [0, 1, 2, 3, 4], cats, true)).toEqual({ kind: 'onehot', column: 'c', categories: ['a', 'b', 'c'], impute: 'b' });
    // Numeric-looking categories are ordered as numbers.
    const codes = readerOf([{ c: '10' }, { c: '9' }, { c: '100' }]);
    expect(fitFeature('categorical', 'c', [0, 1, 2], codes, true)).toMatchObject({ categories: ['9', '10', '100'] });
  });

  it('breaks a tie for the most common category by label order', () => {
    const cats = readerOf([{ c: 'y' }, { c: 'x' }, { c: 'y' }, { c: 'x' }]);
    expect(fitFeature('categorical', 'c', range(4), cats, true)).toMatchObject({ impute: 'x' });
  });
});

describe('fitTarget', () => {
  it('collects classes from the given rows and from all labels, ordered numerically when they are numbers', () => {
    const read = readerOf([{ y: '10' }, { y: '2' }, { y: null }]);
    const t = fitTarget('classes', 'y', [0, 1, 2], read, ['1', '10']);
    expect(t).toEqual({ kind: 'classes', column: 'y', classes: ['1', '2', '10'] });
  });

  it('scales a value target by the given rows’ mean and std, and by 1 when they do not vary', () => {
    const read = readerOf([{ y: '2' }, { y: '4' }, { y: '9' }]);
    expect(fitTarget('value', 'y', [0, 1], read)).toEqual({ kind: 'value', column: 'y', mean: 3, std: 1 });
    const t = fitTarget('value', 'y', [0, 1, 2], read) as ValueTarget;
    expect(t.mean).toBe(5);
    expect(t.std).toBeCloseTo(Math.sqrt((9 + 1 + 16) / 3), 12);
    expect(fitTarget('value', 'y', [0], read)).toEqual({ kind: 'value', column: 'y', mean: 2, std: 1 });
  });
});

describe('encoding', () => {
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
    expect(encodeFeatures(p, 1, readerOf([{}, { n: '10', c: 'c' }]), x, 4, issues)).toBe(true);
    expect([...x]).toEqual([-1, -1, -1, -1, 2, 0, 0, 1]);
    expect(issues).toEqual(emptyIssues());
  });

  it('imputes missing and non-numeric cells under the impute policy and counts them per column', () => {
    const x = new Float32Array(4);
    const issues = emptyIssues();
    expect(encodeFeatures(p, 0, readerOf([{ n: 'n/a', c: null }]), x, 0, issues)).toBe(true);
    // The numeric impute value 6 standardises to (6 − 2) / 4 = 1; the missing category becomes the mode "b".
    expect([...x]).toEqual([1, 0, 1, 0]);
    expect([...issues.imputed]).toEqual([['n', 1], ['c', 1]]);
  });

  it('refuses a row with a missing cell under the drop policy', () => {
    const drop: Preprocessing = { ...p, missingPolicy: 'drop' };
    const issues = emptyIssues();
    expect(encodeFeatures(drop, 0, readerOf([{ n: '1', c: null }]), new Float32Array(4), 0, issues)).toBe(false);
    expect(issues.imputed.size).toBe(0);
  });

  it('encodes a category never seen in training as all zeros and reports it with a count', () => {
    const x = new Float32Array(8).fill(9);
    const issues = emptyIssues();
    const read = readerOf([{ n: '2', c: 'purple' }, { n: '2', c: 'purple' }]);
    encodeFeatures(p, 0, read, x, 0, issues);
    encodeFeatures(p, 1, read, x, 4, issues);
    expect([...x]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...issues.unseen.get('c')!]).toEqual([['purple', 2]]);
  });
});

describe('targets', () => {
  const two: ClassTarget = { kind: 'classes', column: 'y', classes: ['no', 'yes'] };
  const three: ClassTarget = { kind: 'classes', column: 'y', classes: ['a', 'b', 'c'] };
  const value: ValueTarget = { kind: 'value', column: 'y', mean: 10, std: 2 };

  it('needs one output for two classes or a value, one per class otherwise', () => {
    expect([outputWidth(two), outputWidth(three), outputWidth(value)]).toEqual([1, 3, 1]);
  });

  it('encodes two classes as 0/1, more as one-hot, and a value standardised', () => {
    const y = new Float32Array(3);
    expect(encodeTarget(two, 'yes', y, 0)).toBe(true);
    expect(y[0]).toBe(1);
    expect(encodeTarget(three, 'b', y, 0)).toBe(true);
    expect([...y]).toEqual([0, 1, 0]);
    expect(encodeTarget(value, '13', y, 2)).toBe(true);
    expect(y[2]).toBe(1.5);
  });

  it('refuses a missing target, an unknown class and a non-numeric value', () => {
    const y = new Float32Array(3);
    expect(encodeTarget(three, null, y, 0)).toBe(false);
    expect(encodeTarget(three, 'd', y, 0)).toBe(false);
    expect(encodeTarget(value, 'ten', y, 0)).toBe(false);
  });

  it('decodes outputs back to labels with probabilities, and values back to their scale', () => {
    expect(decodeOutput(two, [0.25], 0)).toEqual({ prediction: 'no', probabilities: [0.75, 0.25] });
    expect(decodeOutput(two, [0.9], 0).prediction).toBe('yes');
    expect(decodeOutput(three, [9, 0.1, 0.7, 0.2], 1)).toEqual({ prediction: 'b', probabilities: [0.1, 0.7, 0.2] });
    expect(decodeOutput(value, [0, -1.5], 1)).toEqual({ prediction: 7 });
  });
});
