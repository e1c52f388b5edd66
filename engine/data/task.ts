import type { ColumnSummary } from './columns';

export type TaskKind = 'binary' | 'multiclass' | 'regression';
/** What a person may say the target is, overriding what its values suggest. */
export const TASK_OVERRIDES = ['classification', 'regression'] as const;
export type TaskOverride = (typeof TASK_OVERRIDES)[number];

export interface TaskChoice {
  kind: TaskKind;
  /** Why this task was chosen, in words for the user; empty when it is obvious. */
  reason: string;
}

/** A numeric target with at most this many distinct whole values is read as class codes. */
const MAX_CODED_CLASSES = 10;

/** Decides what to predict from the target column, or explains why it cannot be a target. */
export function inferTask(target: ColumnSummary, override?: TaskOverride): TaskChoice {
  const name = `"${target.name}"`;
  if (target.type === 'constant') {
    throw new Error(`The target ${name} has only one value${target.categories?.[0] ? ` ("${target.categories[0].label}")` : ''}: there is nothing to learn. Pick another target column.`);
  }
  const classes = (count: number): TaskKind => (count === 2 ? 'binary' : 'multiclass');
  if (override === 'regression') {
    if (target.type !== 'numeric') throw new Error(`The target ${name} is not numeric, so it cannot be predicted as a number (regression). Use --task classification, or pick a numeric target.`);
    return { kind: 'regression', reason: '' };
  }
  if (override === 'classification') return { kind: classes(target.distinct), reason: '' };
  if (target.type === 'identifier') {
    throw new Error(`The target ${name} has ${target.distinct} different text values, like an identifier: too many to learn as classes. Pick another target column.`);
  }
  if (target.type === 'numeric') {
    if (target.integers && target.distinct <= MAX_CODED_CLASSES) {
      return {
        kind: classes(target.distinct),
        reason: `The target ${name} holds ${target.distinct} distinct whole numbers, so they are treated as class codes; use --task regression to predict it as a number.`,
      };
    }
    return { kind: 'regression', reason: '' };
  }
  return { kind: classes(target.distinct), reason: '' };
}
