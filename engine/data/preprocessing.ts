import { cellLabel, type ColumnData } from './column-builder';
import { findColumn, type ColumnarTable } from './columnar';
import type { FeatureKind } from './column-types';
import { dateParts, DATE_PARTS, type DatePart } from './dates';
import { sortLabels } from './numbers';

export interface NumericFeature {
  kind: 'numeric';
  column: string;
  /** value → (value − mean) / std; mean 0 and std 1 when the column is passed through unscaled. */
  mean: number;
  std: number;
  /** The value used for a missing cell when missing values are imputed (the training mean). */
  impute: number;
}

export interface OneHotFeature {
  kind: 'onehot';
  column: string;
  /** One input per category, in this order; a category not in the list encodes as all zeros. */
  categories: string[];
  /** The category used for a missing cell when missing values are imputed (the training mode). */
  impute: string;
}

export interface DateFeature {
  kind: 'date';
  column: string;
  /** The inputs an ISO date cell becomes, in this order (DATE_PARTS: year, month, day of month, ISO weekday). */
  parts: DatePart[];
  /** Per part, as a numeric feature's: value → (value − mean) / std. */
  mean: number[];
  std: number[];
  /** Per part, the training mean, for a missing date when missing values are imputed. */
  impute: number[];
}

export type FeatureEncoding = NumericFeature | OneHotFeature | DateFeature;

/** How many network inputs a feature takes. */
export function featureWidth(f: FeatureEncoding): number {
  return f.kind === 'numeric' ? 1 : f.kind === 'date' ? f.parts.length : f.categories.length;
}

export interface ClassTarget {
  kind: 'classes';
  column: string;
  /** Class labels; output unit i (or, with one sigmoid output, probability of classes[1]) is class i. */
  classes: string[];
}

export interface ValueTarget {
  kind: 'value';
  column: string;
  /** The network predicts (value − mean) / std; predictions are mapped back. */
  mean: number;
  std: number;
}

/** What is done with a missing feature: the row is left out, or the cell filled in (training mean, most common category). */
export const APPLIED_MISSING_POLICIES = ['drop', 'impute'] as const;
export type AppliedMissingPolicy = (typeof APPLIED_MISSING_POLICIES)[number];
/** What a person may ask for: one of those, or 'auto', which the data decides (engine/data/missing-policy.ts). */
export const MISSING_POLICIES = ['auto', ...APPLIED_MISSING_POLICIES] as const;
export type MissingPolicy = (typeof MISSING_POLICIES)[number];

/** Everything between a CSV row and the network's input and output, recorded as data. */
export interface Preprocessing {
  features: FeatureEncoding[];
  target: ClassTarget | ValueTarget;
  missingMarkers: string[];
  /** Never 'auto': the policy the data chose is recorded, so a saved model and every export apply the same one. */
  missingPolicy: AppliedMissingPolicy;
  /** The decimal mark of the training file, when it was a comma: text cells given to exported code are read with it. */
  decimal?: ',' | '.';
}

export function inputWidth(p: Preprocessing): number {
  return p.features.reduce((n, f) => n + featureWidth(f), 0);
}

/** The standardisation of each network input, in order: one-hot inputs pass through (mean 0, std 1). */
export function inputScaling(p: Preprocessing): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (const f of p.features) {
    if (f.kind === 'date') {
      mean.push(...f.mean);
      std.push(...f.std);
      continue;
    }
    for (let i = 0; i < featureWidth(f); i++) {
      mean.push(f.kind === 'numeric' ? f.mean : 0);
      std.push(f.kind === 'numeric' ? f.std : 1);
    }
  }
  return { mean, std };
}

/** Names of the network's inputs, in order: "petal_length", "Island=Biscoe", "sold.month". */
export function inputNames(p: Preprocessing): string[] {
  return p.features.flatMap((f) => (f.kind === 'numeric' ? [f.column] : f.kind === 'date' ? f.parts.map((part) => `${f.column}.${part}`) : f.categories.map((c) => `${f.column}=${c}`)));
}

/** Number of network outputs the target needs: one for two classes (sigmoid) or a value, else one per class. */
export function outputWidth(target: ClassTarget | ValueTarget): number {
  return target.kind === 'value' || target.classes.length === 2 ? 1 : target.classes.length;
}

/** Fits a feature's encoding on the given (training) rows only. */
export function fitFeature(kind: FeatureKind, column: ColumnData, rows: ArrayLike<number>, standardize: boolean): FeatureEncoding {
  if (kind === 'numeric') return { kind: 'numeric', column: column.name, ...fitScale((r) => column.numbers[r]!, rows, standardize) };
  if (kind === 'date') {
    const dates = column.dates;
    const scales = DATE_PARTS.map((_, p) => fitScale((r) => (dates && !Number.isNaN(dates[r]!) ? dateParts(dates[r]!)[p]! : Number.NaN), rows, standardize));
    return { kind: 'date', column: column.name, parts: [...DATE_PARTS], mean: scales.map((s) => s.mean), std: scales.map((s) => s.std), impute: scales.map((s) => s.impute) };
  }
  const counts = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const label = cellLabel(column, rows[i]!);
    if (label !== null) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const categories = sortLabels([...counts.keys()]);
  let impute = categories[0] ?? '';
  for (const c of categories) if (counts.get(c)! > counts.get(impute)!) impute = c;
  return { kind: 'onehot', column: column.name, categories, impute };
}

/** The mean and standard deviation of the rows' present values (NaN is missing), and the mean to impute. */
function fitScale(value: (row: number) => number, rows: ArrayLike<number>, standardize: boolean): { mean: number; std: number; impute: number } {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i]!);
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
  }
  const mean = count ? sum / count : 0;
  let squares = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = value(rows[i]!);
    if (!Number.isNaN(v)) squares += (v - mean) ** 2;
  }
  const std = count ? Math.sqrt(squares / count) : 0;
  // A column that does not vary in training carries no scale; it passes through as it is.
  const scaled = standardize && std > 0;
  return { mean: scaled ? mean : 0, std: scaled ? std : 1, impute: mean };
}

/** Fits the target: the class list (from `labels`, all usable rows, so no class is unknown) or the value scaling (training rows). */
export function fitTarget(kind: 'classes' | 'value', column: ColumnData, rows: ArrayLike<number>, labels: string[] = []): ClassTarget | ValueTarget {
  if (kind === 'classes') return { kind: 'classes', column: column.name, classes: sortLabels([...new Set(labels)]) };
  let sum = 0;
  let count = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = column.numbers[rows[i]!]!;
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  const mean = sum / Math.max(1, count);
  let squares = 0;
  for (let i = 0; i < rows.length; i++) {
    const v = column.numbers[rows[i]!]!;
    if (!Number.isNaN(v)) squares += (v - mean) ** 2;
  }
  const std = Math.sqrt(squares / Math.max(1, count));
  return { kind: 'value', column: column.name, mean, std: std > 0 ? std : 1 };
}

/** What encoding met that it could not use as it is. */
export interface EncodeIssues {
  /** Rows left out because a feature was missing (drop policy). */
  droppedMissing: number;
  /** Cells imputed, per column. */
  imputed: Map<string, number>;
  /** Categories never seen in training, per column, with counts (encoded as all zeros). */
  unseen: Map<string, Map<string, number>>;
}

export function emptyIssues(): EncodeIssues {
  return { droppedMissing: 0, imputed: new Map(), unseen: new Map() };
}

type FeatureReader =
  | { kind: 'numeric'; encoding: NumericFeature; column: ColumnData }
  | { kind: 'date'; encoding: DateFeature; column: ColumnData }
  | { kind: 'onehot'; encoding: OneHotFeature; column: ColumnData; indexOfCode: Int32Array | null };

/**
 * Applies recorded preprocessing to the rows of one table. Column lookups and category indices are
 * resolved once here, so encoding a row is array reads only.
 */
export class RowEncoder {
  private readonly readers: FeatureReader[];
  private readonly targetColumn: ColumnData | undefined;
  private readonly classOfCode: Int32Array | null = null;

  constructor(readonly preprocessing: Preprocessing, table: ColumnarTable) {
    const missing = preprocessing.features.map((f) => f.column).filter((name) => !findColumn(table, name));
    if (missing.length > 0) {
      throw new Error(`${table.source} lacks column${missing.length === 1 ? '' : 's'} the model needs: ${missing.map((c) => `"${c}"`).join(', ')}.`);
    }
    this.readers = preprocessing.features.map((encoding): FeatureReader => {
      const column = findColumn(table, encoding.column)!;
      if (encoding.kind === 'numeric') return { kind: 'numeric', encoding, column };
      if (encoding.kind === 'date') return { kind: 'date', encoding, column };
      return { kind: 'onehot', encoding, column, indexOfCode: column.dictionary ? codeIndex(column.dictionary, encoding.categories) : null };
    });
    this.targetColumn = findColumn(table, preprocessing.target.column);
    const target = preprocessing.target;
    if (target.kind === 'classes' && this.targetColumn?.dictionary) this.classOfCode = codeIndex(this.targetColumn.dictionary, target.classes);
  }

  /** Whether the table has the target column (a file to predict may not). */
  get hasTarget(): boolean {
    return this.targetColumn !== undefined;
  }

  /**
   * Writes the encoded features of one row at x[offset…]. Returns false when a feature is missing and the
   * policy drops such rows.
   */
  features(row: number, x: Float32Array, offset: number, issues: EncodeIssues): boolean {
    const impute = this.preprocessing.missingPolicy === 'impute';
    let o = offset;
    for (const reader of this.readers) {
      if (reader.kind === 'numeric') {
        let value = reader.column.numbers[row]!;
        if (Number.isNaN(value)) {
          if (!impute) return false;
          countInto(issues.imputed, reader.encoding.column);
          value = reader.encoding.impute;
        }
        x[o++] = (value - reader.encoding.mean) / reader.encoding.std;
        continue;
      }
      if (reader.kind === 'date') {
        const { mean, std } = reader.encoding;
        const days = reader.column.dates?.[row] ?? Number.NaN;
        let parts: readonly number[];
        if (Number.isNaN(days)) {
          if (!impute) return false;
          countInto(issues.imputed, reader.encoding.column);
          parts = reader.encoding.impute;
        } else {
          parts = dateParts(days);
        }
        for (let i = 0; i < mean.length; i++) x[o++] = (parts[i]! - mean[i]!) / std[i]!;
        continue;
      }
      const { categories } = reader.encoding;
      let index: number;
      if (reader.indexOfCode && reader.column.codes) {
        const code = reader.column.codes[row]!;
        index = code === 0 ? -2 : reader.indexOfCode[code]!;
      } else {
        const label = cellLabel(reader.column, row);
        index = label === null ? -2 : categories.indexOf(label);
      }
      if (index === -2) {
        if (!impute) return false;
        countInto(issues.imputed, reader.encoding.column);
        index = categories.indexOf(reader.encoding.impute);
      } else if (index === -1) {
        const unseen = issues.unseen.get(reader.encoding.column) ?? new Map<string, number>();
        countInto(unseen, cellLabel(reader.column, row) ?? '');
        issues.unseen.set(reader.encoding.column, unseen);
      }
      for (let i = 0; i < categories.length; i++) x[o + i] = i === index ? 1 : 0;
      o += categories.length;
    }
    return true;
  }

  /** Writes the encoded target of one row at y[offset…]; returns false when the target is missing or unusable. */
  target(row: number, y: Float32Array, offset: number): boolean {
    const target = this.preprocessing.target;
    const column = this.targetColumn;
    if (!column) return false;
    if (target.kind === 'value') {
      const value = column.numbers[row]!;
      if (Number.isNaN(value)) return false;
      y[offset] = (value - target.mean) / target.std;
      return true;
    }
    let index: number;
    if (this.classOfCode && column.codes) {
      const code = column.codes[row]!;
      index = code === 0 ? -1 : this.classOfCode[code]!;
    } else {
      const label = cellLabel(column, row);
      index = label === null ? -1 : target.classes.indexOf(label);
    }
    if (index < 0) return false;
    if (target.classes.length === 2) y[offset] = index;
    else for (let i = 0; i < target.classes.length; i++) y[offset + i] = i === index ? 1 : 0;
    return true;
  }
}

/** For each dictionary code, the index of its label in `labels` (−1 if absent); code 0 (missing) maps to −1. */
function codeIndex(dictionary: string[], labels: string[]): Int32Array {
  const position = new Map(labels.map((l, i) => [l, i]));
  const result = new Int32Array(dictionary.length + 1).fill(-1);
  dictionary.forEach((label, i) => { result[i + 1] = position.get(label) ?? -1; });
  return result;
}

function countInto(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Turns one row of network outputs into a label (or value) and class probabilities. */
export function decodeOutput(target: ClassTarget | ValueTarget, out: ArrayLike<number>, offset: number): { prediction: string | number; probabilities?: number[] } {
  if (target.kind === 'value') return { prediction: out[offset]! * target.std + target.mean };
  const n = target.classes.length;
  const probabilities = n === 2 ? [1 - out[offset]!, out[offset]!] : Array.from({ length: n }, (_, i) => out[offset + i]!);
  let best = 0;
  for (let i = 1; i < n; i++) if (probabilities[i]! > probabilities[best]!) best = i;
  return { prediction: target.classes[best]!, probabilities };
}
