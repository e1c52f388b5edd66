import type { Split } from '../metrics';
import { summarizeTable, type ColumnSummary } from './columns';
import { parseNumber } from './numbers';
import {
  emptyIssues, encodeFeatures, encodeTarget, fitFeature, fitTarget, inputWidth, outputWidth,
  type CellReader, type EncodeIssues, type MissingPolicy, type Preprocessing,
} from './preprocessing';
import { splitRows } from './split';
import { DEFAULT_MISSING_MARKERS, columnIndex, type Table } from './table';
import { inferTask, type TaskChoice, type TaskOverride } from './task';

export interface DatasetOptions {
  /** Target column name; the last column when absent. */
  target?: string;
  ignore?: string[];
  task?: TaskOverride;
  missingMarkers?: string[];
  missingPolicy: MissingPolicy;
  val: number;
  test: number;
  seed: number;
  /** Standardise numeric features with the training split's mean and standard deviation. */
  standardize: boolean;
  /** Keep constant numeric columns as inputs: in a network without biases they play the bias, as in the seed. */
  keepConstant: boolean;
  /** A separate file to test on instead of a test fraction ("supplied test set"). */
  testTable?: Table;
}

export interface IgnoredColumn {
  column: string;
  reason: string;
}

export interface PreparedDataset {
  preprocessing: Preprocessing;
  task: TaskChoice;
  train: Split;
  val: Split;
  test: Split | null;
  columns: ColumnSummary[];
  features: string[];
  ignored: IgnoredColumn[];
  warnings: string[];
  rows: { total: number; used: number; missingTarget: number; missingFeature: number };
}

export function readerFor(table: Table, markers: ReadonlySet<string>): CellReader {
  const index = new Map(table.columns.map((c, i) => [c, i]));
  return (row, column) => {
    const c = index.get(column);
    if (c === undefined) return null;
    const cell = table.cells[c]![row]!;
    return markers.has(cell) ? null : cell;
  };
}

/** Chooses roles, infers the task, splits, fits the preprocessing on the training rows and encodes every split. */
export function prepareDataset(table: Table, options: DatasetOptions): PreparedDataset {
  if (table.rows === 0) throw new Error(`${table.source} has a header but no data rows.`);
  if (table.columns.length < 2) throw new Error(`${table.source} has a single column; nnlab needs at least one feature column and a target column.`);
  const markers = new Set(options.missingMarkers ?? DEFAULT_MISSING_MARKERS);
  const columns = summarizeTable(table, markers);
  const targetIndex = options.target === undefined ? table.columns.length - 1 : columnIndex(table, options.target);
  const targetSummary = columns[targetIndex]!;
  const target = targetSummary.name;
  const task = inferTask(targetSummary, options.task);
  const warnings: string[] = task.reason ? [task.reason] : [];

  const ignoredByUser = new Set((options.ignore ?? []).map((name) => table.columns[columnIndex(table, name)]!));
  const features: string[] = [];
  const ignored: IgnoredColumn[] = [];
  for (const summary of columns) {
    if (summary.name === target) continue;
    if (ignoredByUser.has(summary.name)) ignored.push({ column: summary.name, reason: 'ignored on request' });
    else if (summary.type === 'identifier') ignored.push({ column: summary.name, reason: `every value is different (${summary.distinct} distinct), like an identifier` });
    else if (summary.type === 'constant' && !(options.keepConstant && isNumericConstant(summary))) {
      ignored.push({ column: summary.name, reason: 'it has only one value' });
    } else features.push(summary.name);
  }
  if (features.length === 0) throw new Error(`No feature columns are left to learn from: ${ignored.map((i) => `"${i.column}" (${i.reason})`).join(', ')}.`);
  for (const i of ignored) if (i.reason !== 'ignored on request') warnings.push(`Column "${i.column}" is ignored: ${i.reason}.`);

  const read = readerFor(table, markers);
  const kept: number[] = [];
  let missingTarget = 0;
  for (let r = 0; r < table.rows; r++) {
    if (read(r, target) === null) missingTarget++;
    else kept.push(r);
  }
  if (missingTarget > 0) warnings.push(`${missingTarget} row${missingTarget === 1 ? '' : 's'} without a value for the target "${target}" ${missingTarget === 1 ? 'was' : 'were'} left out.`);

  const isClasses = task.kind !== 'regression';
  const labels = isClasses ? Array.from({ length: table.rows }, (_, r) => read(r, target)) : null;
  const fractions = { val: options.val, test: options.testTable ? 0 : options.test };
  const split = splitRows(kept, labels, fractions, options.seed);
  const featureKinds = new Map(columns.map((c) => [c.name, c.type === 'numeric' || (c.type === 'constant' && isNumericConstant(c)) ? 'numeric' as const : 'categorical' as const]));
  const preprocessing: Preprocessing = {
    features: features.map((f) => fitFeature(featureKinds.get(f)!, f, split.train, read, options.standardize)),
    target: fitTarget(isClasses ? 'classes' : 'value', target, split.train, read, isClasses ? kept.map((r) => read(r, target)!) : undefined),
    missingMarkers: [...markers],
    missingPolicy: options.missingPolicy,
  };

  const issues = emptyIssues();
  const train = encodeSplit(preprocessing, split.train, read, issues);
  const val = encodeSplit(preprocessing, split.val, read, issues);
  let test: Split | null = split.test.length > 0 ? encodeSplit(preprocessing, split.test, read, issues) : null;
  if (options.testTable) {
    const testRead = readerFor(options.testTable, markers);
    for (const f of features) columnIndex(options.testTable, f);
    const testRows = Array.from({ length: options.testTable.rows }, (_, r) => r).filter((r) => testRead(r, target) !== null);
    test = encodeSplit(preprocessing, testRows, testRead, issues);
  }
  warnings.push(...describeIssues(issues));
  if (train.rows < 1) throw new Error(`No training rows remain in ${table.source} after leaving out rows with missing values. Impute missing values instead of dropping those rows.`);
  if (isClasses && new Set(split.train.map((r) => read(r, target))).size < 2) {
    throw new Error(`The training rows hold only one class of "${target}": there is nothing to tell apart. Use more data or a smaller validation and test fraction.`);
  }
  return {
    preprocessing, task, train, val, test, columns, features, ignored, warnings,
    rows: { total: table.rows, used: train.rows + val.rows + (options.testTable ? 0 : test?.rows ?? 0), missingTarget, missingFeature: issues.droppedMissing },
  };
}

function isNumericConstant(summary: ColumnSummary): boolean {
  const label = summary.categories?.[0]?.label;
  // The same rule as the numeric type, so every kept cell parses when it is encoded ("0x10" is text).
  return label !== undefined && parseNumber(label) !== null;
}

/** Encodes rows into a split, leaving out rows whose target or (with the drop policy) features are missing. */
export function encodeSplit(p: Preprocessing, rows: number[], read: CellReader, issues: EncodeIssues): Split {
  const inputs = inputWidth(p);
  const outputs = outputWidth(p.target);
  const x = new Float32Array(rows.length * inputs);
  const y = new Float32Array(rows.length * outputs);
  let n = 0;
  for (const r of rows) {
    if (!encodeTarget(p.target, read(r, p.target.column), y, n * outputs)) continue;
    if (!encodeFeatures(p, r, read, x, n * inputs, issues)) {
      issues.droppedMissing++;
      continue;
    }
    n++;
  }
  return { x: x.subarray(0, n * inputs), y: y.subarray(0, n * outputs), rows: n };
}

export function describeIssues(issues: EncodeIssues): string[] {
  const out: string[] = [];
  if (issues.droppedMissing > 0) out.push(`${issues.droppedMissing} row${issues.droppedMissing === 1 ? '' : 's'} with missing feature values ${issues.droppedMissing === 1 ? 'was' : 'were'} left out.`);
  for (const [column, count] of issues.imputed) out.push(`${count} missing value${count === 1 ? '' : 's'} in "${column}" ${count === 1 ? 'was' : 'were'} filled in from the training rows (their mean, or most common category).`);
  for (const [column, values] of issues.unseen) {
    const list = [...values].map(([v, c]) => `"${v}" (${c})`).join(', ');
    out.push(`Column "${column}" has categories not seen in training: ${list}; they were encoded as no known category.`);
  }
  return out;
}
