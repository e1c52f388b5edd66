import type { ColumnSummary } from './columns';
import { advise } from '../advice';

export type TaskKind = 'binary' | 'multiclass' | 'regression';
/** What a person may say the target is, overriding what its values suggest. */
export const TASK_OVERRIDES = ['classification', 'regression'] as const;
export type TaskOverride = (typeof TASK_OVERRIDES)[number];

export interface TaskChoice {
  kind: TaskKind;
  /** Why this task was chosen, in words for the user; empty when it is obvious. */
  reason: string;
}

/** A numeric target with at most this many distinct whole values may be read as class codes. */
const MAX_CODED_CLASSES = 10;
/**
 * ... when the typical value (the median count) is seen in at least this many rows: one for each of the training,
 * validation and test splits, so a class can be learnt and judged. A measurement in a small table (a waist size in
 * 20 rows: 9 values, most seen once or twice) fails this and is predicted as a number; codes of real classes, even
 * with one rare class, pass it. Two values are always classes (0/1, yes/no codes; the seed's 4-row XOR table).
 */
const MIN_ROWS_PER_CODE = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Whether a numeric target's distinct whole values read as class codes rather than as a measurement. */
function readsAsCodes(target: ColumnSummary): boolean {
  if (!target.integers || target.distinct > MAX_CODED_CLASSES) return false;
  if (target.distinct === 2 || !target.categories) return true;
  return median(target.categories.map((c) => c.count)) >= MIN_ROWS_PER_CODE;
}

/** Decides what to predict from the target column, or explains why it cannot be a target. */
export function inferTask(target: ColumnSummary, override?: TaskOverride): TaskChoice {
  const name = `"${target.name}"`;
  if (target.type === 'constant') {
    throw new Error(`The target ${name} has only one value${target.categories?.[0] ? ` ("${target.categories[0].label}")` : ''}: there is nothing to learn. Pick another target column.`);
  }
  const classes = (count: number): TaskKind => (count === 2 ? 'binary' : 'multiclass');
  if (override === 'regression') {
    if (target.type !== 'numeric') throw new Error(`The target ${name} is not numeric, so it cannot be predicted as a number (regression). ${advise('taskClassification', '', true)}, or pick a numeric target.`);
    return { kind: 'regression', reason: '' };
  }
  if (override === 'classification') return { kind: classes(target.distinct), reason: '' };
  if (target.type === 'identifier') {
    throw new Error(`The target ${name} has ${target.distinct} different text values, like an identifier: too many to learn as classes. Pick another target column.`);
  }
  if (target.type === 'numeric') {
    if (readsAsCodes(target)) {
      return {
        kind: classes(target.distinct),
        reason: `The target ${name} holds ${target.distinct} distinct whole numbers, so they are treated as class codes; ${advise('taskRegression')} to predict it as a number.`,
      };
    }
    if (target.integers && target.distinct <= MAX_CODED_CLASSES) {
      return {
        kind: 'regression',
        reason: `The target ${name} holds ${target.distinct} distinct whole numbers, most of them in fewer than ${MIN_ROWS_PER_CODE} rows, so it is predicted as a number; ${advise('taskClassification')} to treat them as class codes.`,
      };
    }
    return { kind: 'regression', reason: '' };
  }
  return { kind: classes(target.distinct), reason: '' };
}
