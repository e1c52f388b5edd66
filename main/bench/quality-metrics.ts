import { readFileSync } from 'node:fs';
import Papa from 'papaparse';

/**
 * The mean of each class's recall, over the classes present in `truth` (scikit-learn's balanced_accuracy_score):
 * a model that always answers the common class of a 93 % / 7 % set scores 0.5, not 0.93.
 */
export function balancedAccuracy(truth: readonly string[], predicted: readonly string[]): number {
  const hits = new Map<string, { right: number; all: number }>();
  truth.forEach((label, i) => {
    const c = hits.get(label) ?? { right: 0, all: 0 };
    c.all++;
    if (predicted[i] === label) c.right++;
    hits.set(label, c);
  });
  const recalls = [...hits.values()].map((c) => c.right / c.all);
  return recalls.reduce((a, b) => a + b, 0) / recalls.length;
}

/** Balanced accuracy of a predictions file (`nnlab predict --out`) against its target column; rows without a prediction are left out. */
export function balancedAccuracyOfPredictions(file: string, target: string): number {
  const { data } = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  const scored = data.filter((row) => (row.prediction ?? '') !== '');
  return balancedAccuracy(scored.map((row) => row[target] ?? ''), scored.map((row) => row.prediction!));
}
