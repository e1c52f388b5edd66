import type { Split } from '../metrics';
import { cellLabel, type ColumnData } from './column-builder';
import { columnarFromTable, findColumn, lineOf, type ColumnarTable } from './columnar';
import { describeColumn, type ColumnSummary } from './columns';
import { featureKind, IGNORED_BY_TYPE, isNumericConstant, resolveColumnTypes, type ColumnTypes } from './column-types';
import {
  emptyIssues, fitFeature, fitTarget, inputWidth, outputWidth, RowEncoder,
  type EncodeIssues, type MissingPolicy, type Preprocessing,
} from './preprocessing';
import { chooseMissingPolicy } from './missing-policy';
import { foldSplit, groupByLabel, splitRows, type FoldChoice } from './split';
import { tooLittleData } from './too-little-data';
import { rareClasses, widerThanRows } from './design-warnings';
import { DEFAULT_MISSING_MARKERS, type Table } from './table';
import { inferTask, type TaskChoice, type TaskOverride } from './task';
import { advise } from '../advice';

export interface DatasetOptions {
  /** Target column name; the last column when absent. */
  target?: string;
  ignore?: string[];
  /** Columns encoded as another type than the detected one (or ignored). */
  types?: ColumnTypes;
  task?: TaskOverride;
  missingMarkers?: string[];
  missingPolicy: MissingPolicy;
  val: number;
  test: number;
  seed: number;
  /** Standardise numeric features with the training split's mean and standard deviation. */
  standardize: boolean;
  /**
   * Constant columns kept as inputs: true keeps every numeric one (in a network without biases they play the bias,
   * as in the seed), a list keeps the constant columns it names, of any type.
   */
  keepConstant: boolean | readonly string[];
  /** The file's decimal mark, recorded in the preprocessing when it is a comma. */
  decimal?: '.' | ',';
  /** A separate table to test on instead of a test fraction ("supplied test set"). */
  testTable?: ColumnarTable | Table;
  /** Cross-validation: this fold's rows are the test rows (the test fraction is then not used). */
  fold?: FoldChoice;
}

export type ColumnRole = 'feature' | 'target' | 'ignored';

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
  /** Too few rows to train on, or none to judge on, said plainly (also among the warnings); empty when neither. */
  caution: string;
  rows: { total: number; used: number; missingTarget: number; missingFeature: number };
}

/** Accepts either form of table; text tables are typed with the options' missing markers. */
function asColumnar(table: ColumnarTable | Table, markers?: string[]): ColumnarTable {
  return 'cells' in table ? columnarFromTable(table, new Set(markers ?? DEFAULT_MISSING_MARKERS)) : table;
}

function resolveColumn(table: ColumnarTable, name: string): ColumnData {
  const column = findColumn(table, name);
  if (!column) throw new Error(`${table.source} has no column "${name}". Its columns are: ${table.columns.map((c) => `"${c.name}"`).join(', ')}.`);
  return column;
}

/**
 * Default roles: the target, then every other column as a feature unless it is ignored, with the reason. A column
 * given a type to be encoded as is a feature even where nnlab would leave it out by itself.
 */
export function assignRoles(
  columns: ColumnSummary[], target: string, ignore: string[], keepConstant: boolean | readonly string[], types: ColumnTypes = {},
): { features: string[]; ignored: IgnoredColumn[] } {
  const named = new Set(typeof keepConstant === 'boolean' ? [] : keepConstant);
  const kept = (summary: ColumnSummary) => (typeof keepConstant === 'boolean' ? keepConstant && isNumericConstant(summary) : named.has(summary.name));
  const ignoreSet = new Set(ignore);
  const features: string[] = [];
  const ignored: IgnoredColumn[] = [];
  for (const summary of columns) {
    if (summary.name === target) continue;
    const type = types[summary.name];
    if (ignoreSet.has(summary.name)) ignored.push({ column: summary.name, reason: 'ignored on request' });
    else if (type === 'ignore') ignored.push({ column: summary.name, reason: IGNORED_BY_TYPE });
    else if (type !== undefined) features.push(summary.name);
    else if (summary.type === 'identifier') ignored.push({ column: summary.name, reason: `every value is different (${summary.distinct} distinct), like an identifier` });
    else if (summary.type === 'text') ignored.push({ column: summary.name, reason: 'it holds free text, which nnlab does not encode' });
    else if (summary.type === 'constant' && !kept(summary)) ignored.push({ column: summary.name, reason: 'it has only one value' });
    else features.push(summary.name);
  }
  return { features, ignored };
}

/** Said of a constant column a person chose to keep, beside the choice. */
export function keptConstantNote(column: string): string {
  return `Column "${column}" has only one value and is kept as an input on request: a constant tells no rows apart, so it is usually left out; in a network without biases it plays the bias, as in the seed.`;
}

/** The constant columns named to be kept, as the file spells them. */
export function keptConstants(columns: ColumnSummary[], names: readonly string[] | undefined): string[] {
  return names ? columns.filter((c) => c.type === 'constant' && names.includes(c.name)).map((c) => c.name) : [];
}


function describeInvalid(table: ColumnarTable, summary: ColumnSummary): string {
  const examples = summary.invalid!.examples.map((e) => `${lineOf(table, e.row)}: "${e.value}"`).join(', ');
  return `${summary.invalid!.count} cell${summary.invalid!.count === 1 ? '' : 's'} in the numeric column "${summary.name}" ${summary.invalid!.count === 1 ? 'is' : 'are'} not a number (${examples}${summary.invalid!.count > summary.invalid!.examples.length ? ', …' : ''})`;
}

/** Chooses roles, infers the task, splits, fits the preprocessing on the training rows and encodes every split. */
export function prepareDataset(input: ColumnarTable | Table, options: DatasetOptions): PreparedDataset {
  const table = asColumnar(input, options.missingMarkers);
  if (table.rows === 0) throw new Error(`${table.source} has a header but no data rows.`);
  if (table.columns.length < 2) throw new Error(`${table.source} has a single column; nnlab needs at least one feature column and a target column.`);
  const columns = table.columns.map((c) => describeColumn(c, table.rows));
  const targetColumn = options.target === undefined ? table.columns[table.columns.length - 1]! : resolveColumn(table, options.target);
  const target = targetColumn.name;
  const targetSummary = columns[table.columns.indexOf(targetColumn)]!;
  const task = inferTask(targetSummary, options.task);
  const isClasses = task.kind !== 'regression';
  if (!isClasses && targetSummary.invalid) {
    const { count, examples } = targetSummary.invalid;
    const where = examples.map((e) => `${lineOf(table, e.row)}: "${e.value}"`).join(', ');
    throw new Error(`The target "${target}" is predicted as a number, but ${count === 1 ? 'one of its cells is not a number' : `${count} of its cells are not numbers`} (${where}${count > examples.length ? ', …' : ''}). Correct them, or ${advise('missingMarkers')}.`);
  }
  const warnings: string[] = task.reason ? [task.reason] : [];

  const ignore = (options.ignore ?? []).map((name) => resolveColumn(table, name).name);
  if (ignore.includes(target)) {
    throw new Error(`"${target}" is the column to predict, so it cannot also be ignored. ${advise('otherTarget', '', true)}.`);
  }
  const keepConstant = typeof options.keepConstant === 'boolean' ? options.keepConstant : options.keepConstant.map((name) => resolveColumn(table, name).name);
  const types = resolveColumnTypes(table, columns, options.types ?? {}, target);
  const { features, ignored } = assignRoles(columns, target, ignore, keepConstant, types);
  if (features.length === 0) throw new Error(`No feature columns are left to learn from: ${ignored.map((i) => `"${i.column}" (${i.reason})`).join(', ')}.`);
  for (const i of ignored) if (i.reason !== 'ignored on request' && i.reason !== IGNORED_BY_TYPE) warnings.push(`Column "${i.column}" is ignored: ${i.reason}.`);
  if (typeof keepConstant !== 'boolean') for (const column of keptConstants(columns, keepConstant)) if (features.includes(column)) warnings.push(keptConstantNote(column));
  for (const summary of columns) {
    if (summary.invalid && features.includes(summary.name) && featureKind(summary, types) === 'numeric') warnings.push(`${describeInvalid(table, summary)}; they are treated as missing.`);
  }

  const labels: (string | null)[] = Array.from({ length: table.rows }, (_, r) => (isClasses ? cellLabel(targetColumn, r) : Number.isNaN(targetColumn.numbers[r]!) ? null : ''));
  const kept: number[] = [];
  for (let r = 0; r < table.rows; r++) if (labels[r] !== null) kept.push(r);
  const missingTarget = table.rows - kept.length;
  if (missingTarget > 0) warnings.push(`${missingTarget} row${missingTarget === 1 ? '' : 's'} without a value for the target "${target}" ${missingTarget === 1 ? 'was' : 'were'} left out.`);

  const kindOf = new Map(columns.map((c) => [c.name, featureKind(c, types)]));
  const featureColumns = features.map((f) => ({ kind: kindOf.get(f)!, column: resolveColumn(table, f) }));
  const missing = chooseMissingPolicy(options.missingPolicy, featureColumns, kept);
  if (missing.note) warnings.push(missing.note);

  const fractions = { val: options.val, test: options.testTable ? 0 : options.test };
  const stratify = isClasses ? labels : null;
  if (options.fold) checkFolds(kept, stratify, options.fold.folds, target, table.source, !!options.testTable);
  const split = options.fold ? foldSplit(kept, stratify, options.fold, options.val, options.seed) : splitRows(kept, stratify, fractions, options.seed);
  const preprocessing: Preprocessing = {
    features: featureColumns.map(({ kind, column }) => fitFeature(kind, column, split.train, options.standardize)),
    target: fitTarget(isClasses ? 'classes' : 'value', targetColumn, split.train, isClasses ? kept.map((r) => labels[r]!) : undefined),
    missingMarkers: options.missingMarkers ?? DEFAULT_MISSING_MARKERS,
    missingPolicy: missing.policy,
    ...(options.decimal === ',' ? { decimal: ',' as const } : {}),
  };

  const issues = emptyIssues();
  const encoder = new RowEncoder(preprocessing, table);
  const train = encodeSplit(encoder, split.train, issues);
  const val = encodeSplit(encoder, split.val, issues);
  let test: Split | null = split.test.length > 0 ? encodeSplit(encoder, split.test, issues) : null;
  if (options.testTable) {
    const testTable = asColumnar(options.testTable, options.missingMarkers);
    const testEncoder = new RowEncoder(preprocessing, testTable);
    if (!testEncoder.hasTarget) throw new Error(`The test file ${testTable.source} has no target column "${target}".`);
    const testRows = Array.from({ length: testTable.rows }, (_, r) => r);
    test = encodeSplit(testEncoder, testRows, issues);
  }
  // The note of an 'auto' choice already says how many rows were left out.
  const said = missing.note && missing.policy === 'drop' && issues.droppedMissing === missing.incomplete;
  warnings.push(...describeIssues(said ? { ...issues, droppedMissing: 0 } : issues));
  if (train.rows < 1) throw new Error(`No training rows remain in ${table.source} after leaving out rows with missing values. ${advise('missingImpute', '', true)} to fill them in instead.`);
  if (isClasses && new Set(split.train.map((r) => labels[r])).size < 2) {
    throw new Error(`The training rows hold only one class of "${target}": there is nothing to tell apart. Use more data or a smaller validation and test fraction.`);
  }
  const wide = widerThanRows(inputWidth(preprocessing), features.length, train.rows);
  if (wide) warnings.push(wide);
  if (isClasses) warnings.push(...rareClasses(target, groupByLabel(kept, labels).map(([label, members]) => [label, members.length] as const)));
  const caution = tooLittleData(train.rows, val.rows, test?.rows ?? 0);
  if (caution) warnings.push(caution);
  return {
    preprocessing, task, train, val, test, columns, features, ignored, warnings, caution,
    rows: { total: table.rows, used: train.rows + val.rows + (options.testTable ? 0 : test?.rows ?? 0), missingTarget, missingFeature: issues.droppedMissing },
  };
}

/** Refuses a number of folds the rows cannot fill: every class needs a row in every fold. */
function checkFolds(rows: number[], labels: (string | null)[] | null, folds: number, target: string, source: string, testFile: boolean): void {
  if (testFile) throw new Error('Cross-validation tests each fold on rows of the training file, so it cannot be combined with a separate test file: leave out the test file, or train without cross-validation.');
  if (!labels) {
    if (rows.length < folds) throw new Error(`Cross-validation with ${folds} folds needs at least ${folds} rows with a value for "${target}", but ${source} has ${rows.length}: use at most ${rows.length} folds.`);
    return;
  }
  const [rarest, members] = groupByLabel(rows, labels).reduce((a, b) => (b[1].length < a[1].length ? b : a));
  if (members.length < folds) {
    const advice = members.length < 2 ? 'leave that class out of the data to cross-validate' : `use at most ${members.length} folds`;
    throw new Error(`Cross-validation with ${folds} folds needs at least ${folds} rows of every class of "${target}", but class "${rarest}" has only ${members.length} in ${source}: ${advice}.`);
  }
}

/** Encodes rows into a split, leaving out rows whose target or (with the drop policy) features are missing. */
function encodeSplit(encoder: RowEncoder, rows: ArrayLike<number>, issues: EncodeIssues): Split {
  const inputs = inputWidth(encoder.preprocessing);
  const outputs = outputWidth(encoder.preprocessing.target);
  const x = new Float32Array(rows.length * inputs);
  const y = new Float32Array(rows.length * outputs);
  const source = new Uint32Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!encoder.target(r, y, n * outputs)) continue;
    if (!encoder.features(r, x, n * inputs, issues)) {
      issues.droppedMissing++;
      continue;
    }
    source[n++] = r;
  }
  return { x: x.subarray(0, n * inputs), y: y.subarray(0, n * outputs), rows: n, source: source.subarray(0, n) };
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
