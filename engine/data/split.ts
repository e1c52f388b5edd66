import { Random } from '../random';

export interface SplitFractions {
  val: number;
  test: number;
}

export interface RowSplit {
  train: number[];
  val: number[];
  test: number[];
}

/** How many of `n` rows (of one class) go to validation and test; at least one is left to train on. */
export function partSizes(n: number, { val, test }: SplitFractions): { train: number; val: number; test: number } {
  let nTest = Math.round(n * test);
  let nVal = Math.round(n * val);
  while (nTest + nVal >= n && nTest + nVal > 0) {
    if (nVal >= nTest && nVal > 0) nVal--;
    else nTest--;
  }
  return { train: n - nVal - nTest, val: nVal, test: nTest };
}

/**
 * Seeded train/validation/test split of row indices. With labels the split is stratified: each class is
 * divided in the same proportions, and each class keeps at least one training row.
 */
export function splitRows(rows: number[], labels: (string | null)[] | null, fractions: SplitFractions, seed: number): RowSplit {
  const { val, test } = fractions;
  if (!(val >= 0 && test >= 0 && val + test < 1)) {
    throw new Error(`The validation (${val}) and test (${test}) fractions must be at least 0 and add up to less than 1.`);
  }
  const rng = Random.stream(seed, 'split');
  const result: RowSplit = { train: [], val: [], test: [] };
  for (const [, members] of groupByLabel(rows, labels)) {
    rng.shuffle(members);
    const n = members.length;
    const { val: nVal, test: nTest } = partSizes(n, fractions);
    // Element by element: spreading a large array into push() overflows the call stack.
    for (let i = 0; i < n; i++) (i < nTest ? result.test : i < nTest + nVal ? result.val : result.train).push(members[i]!);
  }
  // Ascending order keeps splits readable; the trainer shuffles the training rows itself.
  for (const part of [result.train, result.val, result.test]) part.sort((a, b) => a - b);
  return result;
}

/** Which of K cross-validation folds holds a run's test rows (index from 0). */
export interface FoldChoice {
  folds: number;
  index: number;
}

/**
 * Seeded K-fold assignment of row indices: with labels each class is shuffled and dealt round the folds,
 * continuing where the previous class stopped, so every fold holds each class to within one row and the
 * folds' sizes differ by at most one. Without labels (regression) the shuffled rows are dealt the same way.
 */
export function foldRows(rows: number[], labels: (string | null)[] | null, folds: number, seed: number): number[][] {
  if (!(Number.isInteger(folds) && folds >= 2)) throw new Error(`Cross-validation needs a whole number of folds of at least 2, not ${folds}.`);
  const rng = Random.stream(seed, 'folds');
  const result: number[][] = Array.from({ length: folds }, () => []);
  let next = 0;
  for (const [, members] of groupByLabel(rows, labels)) {
    rng.shuffle(members);
    for (const row of members) {
      result[next]!.push(row);
      next = (next + 1) % folds;
    }
  }
  for (const fold of result) fold.sort((a, b) => a - b);
  return result;
}

/** Rows grouped by their label ('' for all without labels), in the order of the sorted labels. */
export function groupByLabel(rows: number[], labels: (string | null)[] | null): [string, number[]][] {
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const key = labels ? labels[row] ?? '' : '';
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.keys()].sort().map((key) => [key, groups.get(key)!]);
}

/**
 * Fold `index` of K as the test rows; validation is carved from the other rows as `val` says (a fraction of
 * those rows, stratified like any split), and the rest train.
 */
export function foldSplit(rows: number[], labels: (string | null)[] | null, fold: FoldChoice, val: number, seed: number): RowSplit {
  if (!(Number.isInteger(fold.index) && fold.index >= 0 && fold.index < fold.folds)) {
    throw new Error(`Fold ${fold.index + 1} does not exist: cross-validation with ${fold.folds} folds has folds 1 to ${fold.folds}.`);
  }
  const test = foldRows(rows, labels, fold.folds, seed)[fold.index]!;
  const inTest = new Set(test);
  const rest = splitRows(rows.filter((r) => !inTest.has(r)), labels, { val, test: 0 }, seed);
  return { train: rest.train, val: rest.val, test };
}
