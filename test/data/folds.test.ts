import { describe, expect, it } from 'vitest';
import { prepareDataset } from '../../engine/data/dataset';
import { foldRows, foldSplit } from '../../engine/data/split';
import { tableOf } from './helpers';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** 45 rows of three classes of unequal size (26 "a", 13 "b", 6 "c"), interleaved as a file would hold them. */
const labels: string[] = range(45).map((i) => (i % 7 < 4 ? 'a' : i % 7 < 6 ? 'b' : 'c'));
const count = (rows: number[], label: string) => rows.filter((r) => labels[r] === label).length;

describe('foldRows', () => {
  it('puts every row in exactly one fold, in ascending order', () => {
    const folds = foldRows(range(labels.length), labels, 5, 3);
    expect(folds).toHaveLength(5);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(range(labels.length));
    for (const fold of folds) expect(fold).toEqual([...fold].sort((a, b) => a - b));
  });

  it('stratifies: each class within one row across the folds, and the folds within one row in size', () => {
    for (const k of [2, 3, 5]) {
      const folds = foldRows(range(labels.length), labels, k, 9);
      for (const label of new Set(labels)) {
        const counts = folds.map((f) => count(f, label));
        expect(Math.max(...counts) - Math.min(...counts), `${label}, ${k} folds`).toBeLessThanOrEqual(1);
      }
      const sizes = folds.map((f) => f.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('is reproducible for a seed and different for another', () => {
    const rows = range(labels.length);
    expect(foldRows(rows, labels, 4, 1)).toEqual(foldRows(rows, labels, 4, 1));
    expect(foldRows(rows, labels, 4, 2)).not.toEqual(foldRows(rows, labels, 4, 1));
  });

  it('deals shuffled rows without labels (regression) into folds of equal size', () => {
    const folds = foldRows(range(10), null, 3, 5);
    expect(folds.map((f) => f.length).sort()).toEqual([3, 3, 4]);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(range(10));
    expect(folds.flat()).not.toEqual(range(10));
  });

  it('refuses fewer than 2 folds', () => {
    expect(() => foldRows(range(10), null, 1, 1)).toThrow(/at least 2/);
  });
});

describe('foldSplit', () => {
  it('tests on fold i and carves the validation rows from the other folds, as the fraction says', () => {
    const rows = range(labels.length);
    const folds = foldRows(rows, labels, 4, 6);
    for (let index = 0; index < 4; index++) {
      const split = foldSplit(rows, labels, { folds: 4, index }, 0.25, 6);
      expect(split.test).toEqual(folds[index]);
      const rest = rows.length - split.test.length;
      expect(split.val.length).toBeGreaterThanOrEqual(Math.floor(rest * 0.25) - 3);
      expect(split.val.length).toBeLessThanOrEqual(Math.ceil(rest * 0.25) + 3);
      expect([...split.train, ...split.val, ...split.test].sort((a, b) => a - b)).toEqual(rows);
      for (const label of new Set(labels)) expect(count(split.train, label)).toBeGreaterThan(0);
    }
  });

  it('refuses a fold that does not exist', () => {
    expect(() => foldSplit(range(10), null, { folds: 3, index: 3 }, 0.2, 1)).toThrow('Fold 4 does not exist: cross-validation with 3 folds has folds 1 to 3.');
  });
});

describe('prepareDataset with a fold', () => {
  const table = () => tableOf(['x', 'y'], labels.map((l, i) => [String(i % 10), l]));
  const options = { missingPolicy: 'drop' as const, val: 0.2, test: 0.2, seed: 4, standardize: true, keepConstant: false };

  it('tests on the fold, whatever the test fraction', () => {
    const data = prepareDataset(table(), { ...options, fold: { folds: 5, index: 2 } });
    const expected = foldRows(range(labels.length), labels, 5, 4)[2]!;
    expect([...data.test!.source!]).toEqual(expected);
  });

  it('refuses more folds than the rarest class has rows, naming the class and the most folds to use', () => {
    expect(() => prepareDataset(table(), { ...options, fold: { folds: 20, index: 0 } }))
      .toThrow(/needs at least 20 rows of every class of "y", but class "c" has only \d+ in .*: use at most \d+ folds\./);
  });

  it('refuses a separate test file', () => {
    expect(() => prepareDataset(table(), { ...options, fold: { folds: 3, index: 0 }, testTable: table() }))
      .toThrow(/cannot be combined with a separate test file/);
  });
});
