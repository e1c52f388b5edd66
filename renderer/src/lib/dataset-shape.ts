import type { DatasetSummary } from '../../../common/dataset-summary';
import { widerThanRows } from '../../../engine/data/design-warnings';
import { partSizes, type SplitFractions } from '../../../engine/data/split';
import type { TaskKind } from './settings';
import { DATE_PARTS } from '../../../engine/data/dates';

export interface DatasetShape {
  /** Network inputs: one per numeric feature, four per date (year, month, day, weekday), one per category of the others (one-hot). */
  inputs: number;
  inputNames: string[];
  task: TaskKind | null;
  classes: number;
  classNames: string[];
}

/** What the dataset's roles make of the network's two ends, as the backend will encode them. */
export function datasetShape(summary: DatasetSummary | null): DatasetShape {
  if (!summary) return { inputs: 0, inputNames: [], task: null, classes: 0, classNames: [] };
  const inputNames: string[] = [];
  for (const column of summary.columns) {
    if (column.role !== 'feature') continue;
    if (column.encodedAs === 'date') {
      for (const part of DATE_PARTS) inputNames.push(`${column.name}.${part}`);
      continue;
    }
    const numeric = column.encodedAs === 'number';
    if (numeric || !column.categories) inputNames.push(column.name);
    else for (const category of column.categories) inputNames.push(`${column.name}=${category.label}`);
  }
  const target = summary.columns.find((c) => c.name === summary.target);
  const task = summary.task?.kind ?? null;
  const classNames = task && task !== 'regression' ? (target?.categories ?? []).map((c) => c.label) : [];
  const classes = task === 'regression' || task === null ? 1 : Math.max(classNames.length, target?.distinct ?? 2);
  return { inputs: inputNames.length, inputNames, task, classes, classNames };
}

/**
 * What the Data view adds to the file's warnings once the split is known: more inputs than the training rows the
 * validation and test fractions leave (counted as the backend splits, though not class by class).
 */
export function splitWarnings(summary: DatasetSummary | null, fractions: SplitFractions): string[] {
  if (!summary) return [];
  const target = summary.columns.find((c) => c.name === summary.target);
  const { train } = partSizes(summary.rows - (target?.missing ?? 0), fractions);
  const features = summary.columns.filter((c) => c.role === 'feature').length;
  const wide = widerThanRows(datasetShape(summary).inputs, features, train);
  return wide ? [wide] : [];
}
