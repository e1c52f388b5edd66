import { parseNumber, sortLabels } from './numbers';

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

export type FeatureEncoding = NumericFeature | OneHotFeature;

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

export type MissingPolicy = 'drop' | 'impute';

/** Everything between a CSV row and the network's input and output, recorded as data. */
export interface Preprocessing {
  features: FeatureEncoding[];
  target: ClassTarget | ValueTarget;
  missingMarkers: string[];
  missingPolicy: MissingPolicy;
}

/** Reads one cell of a row by column name; null when missing. */
export type CellReader = (row: number, column: string) => string | null;

export function inputWidth(p: Preprocessing): number {
  return p.features.reduce((n, f) => n + (f.kind === 'numeric' ? 1 : f.categories.length), 0);
}

/** Names of the network's inputs, in order: "petal_length", "Island=Biscoe". */
export function inputNames(p: Preprocessing): string[] {
  return p.features.flatMap((f) => (f.kind === 'numeric' ? [f.column] : f.categories.map((c) => `${f.column}=${c}`)));
}

/** Number of network outputs the target needs: one for two classes (sigmoid) or a value, else one per class. */
export function outputWidth(target: ClassTarget | ValueTarget): number {
  return target.kind === 'value' || target.classes.length === 2 ? 1 : target.classes.length;
}

/** Fits encodings on the given (training) rows only. */
export function fitFeature(kind: 'numeric' | 'categorical', column: string, rows: number[], read: CellReader, standardize: boolean): FeatureEncoding {
  if (kind === 'numeric') {
    let sum = 0;
    let count = 0;
    for (const r of rows) {
      const cell = read(r, column);
      if (cell === null) continue;
      sum += parseNumber(cell)!;
      count++;
    }
    const mean = count ? sum / count : 0;
    let squares = 0;
    for (const r of rows) {
      const cell = read(r, column);
      if (cell !== null) squares += (parseNumber(cell)! - mean) ** 2;
    }
    const std = count ? Math.sqrt(squares / count) : 0;
    // A column that does not vary in training carries no scale; it passes through as it is.
    const scaled = standardize && std > 0;
    return { kind: 'numeric', column, mean: scaled ? mean : 0, std: scaled ? std : 1, impute: mean };
  }
  const counts = new Map<string, number>();
  for (const r of rows) {
    const cell = read(r, column);
    if (cell !== null) counts.set(cell, (counts.get(cell) ?? 0) + 1);
  }
  const categories = sortLabels([...counts.keys()]);
  let impute = categories[0] ?? '';
  for (const c of categories) if (counts.get(c)! > counts.get(impute)!) impute = c;
  return { kind: 'onehot', column, categories, impute };
}

export function fitTarget(kind: 'classes' | 'value', column: string, rows: number[], read: CellReader, allLabels?: string[]): ClassTarget | ValueTarget {
  if (kind === 'classes') {
    const seen = new Set<string>(allLabels ?? []);
    for (const r of rows) {
      const cell = read(r, column);
      if (cell !== null) seen.add(cell);
    }
    return { kind: 'classes', column, classes: sortLabels([...seen]) };
  }
  const values = rows.map((r) => read(r, column)).filter((c): c is string => c !== null).map((c) => parseNumber(c)!);
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length));
  return { kind: 'value', column, mean, std: std > 0 ? std : 1 };
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

/**
 * Writes the encoded features of one row at x[offset…]. Returns false (writing nothing useful) when a
 * feature is missing and the policy drops such rows.
 */
export function encodeFeatures(p: Preprocessing, row: number, read: CellReader, x: Float32Array, offset: number, issues: EncodeIssues): boolean {
  let o = offset;
  for (const f of p.features) {
    let cell = read(row, f.column);
    if (cell === null || (f.kind === 'numeric' && parseNumber(cell) === null)) {
      if (p.missingPolicy === 'drop') return false;
      issues.imputed.set(f.column, (issues.imputed.get(f.column) ?? 0) + 1);
      cell = null;
    }
    if (f.kind === 'numeric') {
      const value = cell === null ? f.impute : parseNumber(cell)!;
      x[o++] = (value - f.mean) / f.std;
    } else {
      const label = cell ?? f.impute;
      const index = f.categories.indexOf(label);
      if (index < 0) {
        const unseen = issues.unseen.get(f.column) ?? new Map<string, number>();
        unseen.set(label, (unseen.get(label) ?? 0) + 1);
        issues.unseen.set(f.column, unseen);
      }
      for (let i = 0; i < f.categories.length; i++) x[o + i] = i === index ? 1 : 0;
      o += f.categories.length;
    }
  }
  return true;
}

/** Writes the encoded target of one row at y[offset…]; returns false when the target is missing or unusable. */
export function encodeTarget(target: ClassTarget | ValueTarget, cell: string | null, y: Float32Array, offset: number): boolean {
  if (cell === null) return false;
  if (target.kind === 'value') {
    const value = parseNumber(cell);
    if (value === null) return false;
    y[offset] = (value - target.mean) / target.std;
    return true;
  }
  const index = target.classes.indexOf(cell);
  if (index < 0) return false;
  if (target.classes.length === 2) y[offset] = index;
  else for (let i = 0; i < target.classes.length; i++) y[offset + i] = i === index ? 1 : 0;
  return true;
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
