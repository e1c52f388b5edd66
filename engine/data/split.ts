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
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const key = labels ? labels[row] ?? '' : '';
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const result: RowSplit = { train: [], val: [], test: [] };
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key)!;
    rng.shuffle(members);
    const n = members.length;
    let nTest = Math.round(n * test);
    let nVal = Math.round(n * val);
    while (nTest + nVal >= n && nTest + nVal > 0) {
      if (nVal >= nTest && nVal > 0) nVal--;
      else nTest--;
    }
    // Element by element: spreading a large array into push() overflows the call stack.
    for (let i = 0; i < n; i++) (i < nTest ? result.test : i < nTest + nVal ? result.val : result.train).push(members[i]!);
  }
  // Ascending order keeps splits readable; the trainer shuffles the training rows itself.
  for (const part of [result.train, result.val, result.test]) part.sort((a, b) => a - b);
  return result;
}
