import { describe, expect, it } from 'vitest';
import { DEFAULT_MISSING_MARKERS } from '../../engine/data/table';
import { inferTask, type TaskOverride } from '../../engine/data/task';
import { columnTable, describeTable } from './helpers';

const target = (cells: string[], name = 'target') => describeTable(columnTable(name, cells), new Set(DEFAULT_MISSING_MARKERS))[0]!;
const task = (cells: string[], override?: TaskOverride) => inferTask(target(cells), override);
const repeat = (labels: string[], times: number) => Array.from({ length: times }, () => labels).flat();

describe('inferTask', () => {
  it('predicts text targets as classes: two values binary, more multiclass', () => {
    expect(task(repeat(['spam', 'ham'], 5))).toEqual({ kind: 'binary', reason: '' });
    expect(task(repeat(['setosa', 'versicolor', 'virginica'], 5))).toEqual({ kind: 'multiclass', reason: '' });
    expect(task(repeat(['yes', 'no'], 3)).kind).toBe('binary');
  });

  it('reads a few whole numbers as class codes and says how to predict them as numbers instead', () => {
    const choice = task(repeat(['0', '1', '2'], 4));
    expect(choice.kind).toBe('multiclass');
    expect(choice.reason).toContain('"target"');
    expect(choice.reason).toContain('3 distinct whole numbers');
    expect(choice.reason).toContain('--task regression');
    expect(task(repeat(['0', '1'], 4)).kind).toBe('binary');
  });

  it('reads up to ten whole values as codes and eleven as a quantity', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    expect(task(repeat(values(10), 3)).kind).toBe('multiclass');
    expect(task(repeat(values(11), 3))).toEqual({ kind: 'regression', reason: '' });
  });

  it('reads whole numbers most of which are seen in fewer than 3 rows as a measurement, and says how to read them as codes', () => {
    // A waist size in a 20-row table: 9 values, most seen once or twice.
    const counts = [1, 2, 2, 3, 2, 2, 4, 2, 2];
    const waist = counts.flatMap((count, i) => Array.from({ length: count }, () => String(30 + i)));
    expect(waist).toHaveLength(20);
    expect(inferTask(target(waist, 'Waist'))).toEqual({
      kind: 'regression',
      reason: 'The target "Waist" holds 9 distinct whole numbers, most of them in fewer than 3 rows, so it is predicted as a number; use --task classification to treat them as class codes.',
    });
    expect(inferTask(target(waist, 'Waist'), 'classification').kind).toBe('multiclass');
    // Ten values each seen once are no more classes than the waist.
    expect(task(Array.from({ length: 10 }, (_, i) => String(i))).kind).toBe('regression');
  });

  it('keeps codes as classes when most are seen in 3 rows or more, even beside a rare one, and two values always', () => {
    const codes = [...repeat(['1', '2', '3'], 30), '4', '4'];
    expect(task(codes).kind).toBe('multiclass');
    expect(task(repeat(['0', '1', '2'], 3)).kind).toBe('multiclass');
    // The seed's 4-row XOR table: each of 0 and 1 twice.
    expect(task(repeat(['0', '1'], 2)).kind).toBe('binary');
    expect(task(['1', '5', '5']).kind).toBe('binary');
  });

  it('predicts continuous numbers as a value', () => {
    expect(task(['1.5', '2.25', '3', '0.5'])).toEqual({ kind: 'regression', reason: '' });
  });

  it('follows an override in either direction', () => {
    expect(task(['1.5', '2.25', '3', '0.5'], 'classification')).toEqual({ kind: 'multiclass', reason: '' });
    expect(task(['1.5', '2.5', '1.5'], 'classification').kind).toBe('binary');
    expect(task(repeat(['0', '1', '2'], 4), 'regression')).toEqual({ kind: 'regression', reason: '' });
  });

  it('refuses a constant target, naming its value', () => {
    const attempt = () => inferTask(target(['x', 'x', 'NA', 'x'], 'Label'));
    expect(attempt).toThrow('The target "Label" has only one value ("x"): there is nothing to learn. Pick another target column.');
    // An override does not make a constant learnable.
    expect(() => inferTask(target(['3', '3'], 'Label'), 'regression')).toThrow(/only one value/);
  });

  it('refuses an identifier-like target', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `user-${i}`);
    expect(() => inferTask(target(ids, 'user'))).toThrow(
      'The target "user" has 30 different text values, like an identifier: too many to learn as classes. Pick another target column.',
    );
  });

  it('refuses regression on a text target and names the alternatives', () => {
    expect(() => task(repeat(['a', 'b', 'c'], 2), 'regression')).toThrow(
      'The target "target" is not numeric, so it cannot be predicted as a number (regression). Use --task classification, or pick a numeric target.',
    );
    expect(() => task(repeat(['yes', 'no'], 2), 'regression')).toThrow(/not numeric/);
  });
});
