import type { FloatArray } from './tensor';

/**
 * How the rows of each class count in the loss: `none` counts every row once; `balanced` weighs a class by
 * n / (k · n_c), scikit-learn's "balanced" weights, from the training rows' class counts, so that every class
 * carries the same total weight however rare it is.
 */
export const CLASS_WEIGHTINGS = ['none', 'balanced'] as const;
export type ClassWeighting = (typeof CLASS_WEIGHTINGS)[number];

/** The class of one row of targets or outputs: threshold 0.5 for one column (the second class's probability), else the largest. */
export function classOfRow(values: ArrayLike<number>, row: number, cols: number): number {
  const base = row * cols;
  if (cols === 1) return values[base]! >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < cols; j++) if (values[base + j]! > values[base + best]!) best = j;
  return best;
}

/**
 * scikit-learn's balanced class weights, w_c = n / (k · n_c), from the classes of `rows` target rows (one
 * column for two classes, one-hot otherwise). k counts the classes present; a class with no row here gets 1,
 * so rows of it elsewhere (a validation or test row) still count as one row each.
 */
export function balancedClassWeights(y: FloatArray, rows: number, cols: number): number[] {
  const counts = new Array<number>(cols === 1 ? 2 : cols).fill(0);
  for (let r = 0; r < rows; r++) counts[classOfRow(y, r, cols)]!++;
  const present = counts.filter((n) => n > 0).length;
  return counts.map((n) => (n > 0 ? rows / (present * n) : 1));
}

/** Writes each row's weight, the weight of its target's class, into `out`. */
export function fillRowWeights(classWeights: ArrayLike<number>, y: FloatArray, rows: number, cols: number, out: FloatArray): void {
  for (let r = 0; r < rows; r++) out[r] = classWeights[classOfRow(y, r, cols)]!;
}
