import { cellLabel, type ColumnData } from './data/column-builder';
import type { ClassTarget, ValueTarget } from './data/preprocessing';
import type { SplitMetrics } from './metrics';
import { classificationReport, confusionFromIndices, regressionErrors, reportMetrics } from './metrics-report';
import type { RowPrediction } from './model';

/** A file's predictions judged against the target column it holds; there is no loss, only what was predicted. */
export interface TruthMetrics {
  /** Rows judged: predicted, and with a truth the model knows. */
  rows: number;
  /** Null when no row could be judged. */
  metrics: Omit<SplitMetrics, 'loss'> | null;
  /** confusion[t][p] over the model's classes (classifiers only). */
  confusion: number[][] | null;
  /** Predicted rows whose target cell is missing: left out of the metrics. */
  missingTruth: number;
  /** Classes in the truth that the model never saw, with their counts: those rows are left out too. */
  newClasses: Map<string, number>;
}

/**
 * The metrics of predictions against the truth in `column`. Rows without a prediction (a missing feature
 * under the drop policy) are already reported where they were encoded, so they are simply passed over.
 */
export function metricsAgainstTruth(target: ClassTarget | ValueTarget, column: ColumnData, predictions: readonly RowPrediction[]): TruthMetrics {
  let missingTruth = 0;
  const newClasses = new Map<string, number>();
  if (target.kind === 'value') {
    const predicted: number[] = [];
    const truth: number[] = [];
    predictions.forEach((p, r) => {
      if (p.prediction === null) return;
      const value = column.numbers[r]!;
      if (Number.isNaN(value)) missingTruth++;
      else {
        predicted.push(Number(p.prediction));
        truth.push(value);
      }
    });
    const metrics = truth.length > 0 ? regressionErrors(predicted, truth) : null;
    return { rows: truth.length, metrics, confusion: null, missingTruth, newClasses };
  }
  const index = new Map(target.classes.map((c, i) => [c, i]));
  const predicted: number[] = [];
  const truth: number[] = [];
  predictions.forEach((p, r) => {
    if (p.prediction === null) return;
    const label = cellLabel(column, r);
    if (label === null) {
      missingTruth++;
      return;
    }
    const t = index.get(label);
    if (t === undefined) newClasses.set(label, (newClasses.get(label) ?? 0) + 1);
    else {
      truth.push(t);
      predicted.push(index.get(String(p.prediction))!);
    }
  });
  if (truth.length === 0) return { rows: 0, metrics: null, confusion: null, missingTruth, newClasses };
  const confusion = confusionFromIndices(truth, predicted, target.classes.length);
  return { rows: truth.length, metrics: reportMetrics(classificationReport(confusion, target.classes)), confusion, missingTruth, newClasses };
}

/** What was left out of the metrics, in sentences. */
export function truthNotes(judged: TruthMetrics, column: string): string[] {
  const notes: string[] = [];
  const { missingTruth, newClasses } = judged;
  const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;
  if (missingTruth > 0) notes.push(`${rows(missingTruth)} without a value in "${column}" ${missingTruth === 1 ? 'was' : 'were'} left out of the metrics.`);
  if (newClasses.size > 0) {
    const count = [...newClasses.values()].reduce((a, b) => a + b, 0);
    const list = [...newClasses].map(([c, n]) => `"${c}" (${n})`).join(', ');
    notes.push(`${rows(count)} of "${column}" ${count === 1 ? 'holds a class' : 'hold classes'} the model never saw: ${list}; ${count === 1 ? 'it was' : 'they were'} left out of the metrics, which judge the model's classes only.`);
  }
  if (judged.rows === 0) notes.push(`No row of "${column}" could be judged, so there are no metrics.`);
  return notes;
}
