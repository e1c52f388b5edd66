import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { classificationReport, confusionFromIndices } from '../../engine/metrics-report';

/**
 * The mean of each class's recall, over the classes present in `truth` (scikit-learn's balanced_accuracy_score, by the
 * engine's classification report):
 * a model that always answers the common class of a 93 % / 7 % set scores 0.5, not 0.93.
 */
export function balancedAccuracy(truth: readonly string[], predicted: readonly string[]): number {
  const classes = [...new Set([...truth, ...predicted])];
  const index = new Map(classes.map((label, i) => [label, i]));
  const codes = (labels: readonly string[]) => labels.map((label) => index.get(label)!);
  return classificationReport(confusionFromIndices(codes(truth), codes(predicted), classes.length), classes).balancedAccuracy;
}

/** Balanced accuracy of a predictions file (`nnlab predict --out`) against its target column; rows without a prediction are left out. */
export function balancedAccuracyOfPredictions(file: string, target: string): number {
  const { data } = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true });
  const scored = data.filter((row) => (row.prediction ?? '') !== '');
  return balancedAccuracy(scored.map((row) => row[target] ?? ''), scored.map((row) => row.prediction!));
}
