import { describe, expect, it } from 'vitest';
import { splitRows, type RowSplit } from '../../engine/data/split';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);
const all = (s: RowSplit) => [...s.train, ...s.val, ...s.test].sort((a, b) => a - b);
const countOf = (rows: number[], labels: (string | null)[], label: string) => rows.filter((r) => labels[r] === label).length;

describe('splitRows', () => {
  it('is reproducible for a seed and different for another seed', () => {
    const rows = range(100);
    const a = splitRows(rows, null, { val: 0.2, test: 0.2 }, 7);
    const b = splitRows(rows, null, { val: 0.2, test: 0.2 }, 7);
    const c = splitRows(rows, null, { val: 0.2, test: 0.2 }, 8);
    expect(b).toEqual(a);
    expect(c.test).not.toEqual(a.test);
  });

  it('does not reorder the caller’s rows', () => {
    const rows = range(30);
    splitRows(rows, null, { val: 0.2, test: 0.2 }, 3);
    expect(rows).toEqual(range(30));
  });

  it('puts every row in exactly one part, each part in ascending order', () => {
    const rows = range(100);
    const s = splitRows(rows, null, { val: 0.2, test: 0.1 }, 11);
    expect([s.train.length, s.val.length, s.test.length]).toEqual([70, 20, 10]);
    expect(all(s)).toEqual(rows);
    expect(new Set([...s.train, ...s.val, ...s.test]).size).toBe(100);
    for (const part of [s.train, s.val, s.test]) expect(part).toEqual([...part].sort((x, y) => x - y));
  });

  it('splits only the rows it is given, reading labels by row number', () => {
    // Rows 0–9 are not offered (say, their target is missing); labels are indexed by row, not position.
    const labels: (string | null)[] = [...Array<null>(10).fill(null), ...range(20).map((i) => (i % 2 ? 'a' : 'b'))];
    const rows = range(20, 10);
    const s = splitRows(rows, labels, { val: 0.2, test: 0.2 }, 5);
    expect(all(s)).toEqual(rows);
    for (const label of ['a', 'b']) {
      expect([countOf(s.train, labels, label), countOf(s.val, labels, label), countOf(s.test, labels, label)]).toEqual([6, 2, 2]);
    }
  });

  it('stratifies: each class is divided in the requested proportions', () => {
    // Interleaved classes of 50, 30 and 20 rows.
    const labels = range(100).map((i) => (i % 10 < 5 ? 'a' : i % 10 < 8 ? 'b' : 'c'));
    const s = splitRows(range(100), labels, { val: 0.2, test: 0.1 }, 2);
    const expected: Record<string, [number, number, number]> = { a: [35, 10, 5], b: [21, 6, 3], c: [14, 4, 2] };
    for (const [label, [train, val, test]] of Object.entries(expected)) {
      expect(countOf(s.train, labels, label)).toBe(train);
      expect(countOf(s.val, labels, label)).toBe(val);
      expect(countOf(s.test, labels, label)).toBe(test);
    }
  });

  it('rounds per class and never leaves a class without a training row', () => {
    // One row of x, two of y, three of z, with 80% asked for validation and test together.
    const labels = ['x', 'y', 'y', 'z', 'z', 'z'];
    const s = splitRows(range(6), labels, { val: 0.4, test: 0.4 }, 1);
    expect(all(s)).toEqual(range(6));
    for (const label of ['x', 'y', 'z']) expect(countOf(s.train, labels, label)).toBeGreaterThanOrEqual(1);
    expect(countOf(s.train, labels, 'x')).toBe(1);
    // z: 3·0.4 rounds to 1 each for val and test, which leaves one row to train on.
    expect([countOf(s.train, labels, 'z'), countOf(s.val, labels, 'z'), countOf(s.test, labels, 'z')]).toEqual([1, 1, 1]);
  });

  it('keeps every row for training when validation and test fractions are zero', () => {
    const labels = range(10).map((i) => String(i % 3));
    const s = splitRows(range(10), labels, { val: 0, test: 0 }, 9);
    expect(s).toEqual({ train: range(10), val: [], test: [] });
  });

  it('refuses fractions that leave nothing to train on, or are negative', () => {
    const message = 'The validation (0.5) and test (0.5) fractions must be at least 0 and add up to less than 1.';
    expect(() => splitRows(range(10), null, { val: 0.5, test: 0.5 }, 1)).toThrow(message);
    expect(() => splitRows(range(10), null, { val: 0.7, test: 0.4 }, 1)).toThrow(/add up to less than 1/);
    expect(() => splitRows(range(10), null, { val: -0.1, test: 0.2 }, 1)).toThrow(/at least 0/);
    expect(() => splitRows(range(10), null, { val: Number.NaN, test: 0.2 }, 1)).toThrow(/fractions/);
  });
});
