import { confusionMatrix, evaluate, type AveragedMetrics, type ClassMetrics, type MetricKind, type Split, type SplitMetrics } from './metrics';
import type { Network } from './network';

/** The classification report of scikit-learn (with zero_division=0) and its balanced accuracy. */
export interface ClassificationReport {
  accuracy: number;
  balancedAccuracy: number;
  perClass: ClassMetrics[];
  macroAvg: AveragedMetrics;
  weightedAvg: AveragedMetrics;
}

/** A ratio whose denominator is 0 counts as 0, as scikit-learn's zero_division=0 does, rather than NaN. */
function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/**
 * Per-class metrics from counts[truth][predicted]. Every class is listed, but the macro average, like
 * scikit-learn's default labels, runs over the classes that occur in the truth or the predictions: a class
 * no row has and none was predicted as says nothing about the model. Balanced accuracy is the mean recall
 * over the classes present in the truth (scikit-learn's balanced_accuracy_score).
 */
export function classificationReport(counts: readonly (readonly number[])[], classes: readonly string[]): ClassificationReport {
  const k = classes.length;
  const predictedAs = new Array<number>(k).fill(0);
  let total = 0;
  let correct = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      const n = counts[t]?.[p] ?? 0;
      predictedAs[p]! += n;
      total += n;
      if (t === p) correct += n;
    }
  }
  const perClass = classes.map((name, c): ClassMetrics => {
    const hits = counts[c]?.[c] ?? 0;
    const support = (counts[c] ?? []).reduce((a, b) => a + b, 0);
    const wrongAs = predictedAs[c]! - hits;
    const missed = support - hits;
    return {
      class: name,
      precision: ratio(hits, predictedAs[c]!),
      recall: ratio(hits, support),
      // 2TP / (2TP + FP + FN): the harmonic mean of precision and recall, 0 when both are 0.
      f1: ratio(2 * hits, 2 * hits + wrongAs + missed),
      support,
    };
  });
  const seen = perClass.filter((m, c) => m.support > 0 || predictedAs[c]! > 0);
  const present = perClass.filter((m) => m.support > 0);
  const average = (rows: ClassMetrics[], weight: (m: ClassMetrics) => number): AveragedMetrics => {
    const sum = rows.reduce((s, m) => s + weight(m), 0);
    const mean = (key: keyof AveragedMetrics) => ratio(rows.reduce((s, m) => s + weight(m) * m[key], 0), sum);
    return { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
  };
  return {
    accuracy: total > 0 ? correct / total : Number.NaN,
    balancedAccuracy: present.length > 0 ? present.reduce((s, m) => s + m.recall, 0) / present.length : Number.NaN,
    perClass,
    macroAvg: average(seen, () => 1),
    weightedAvg: average(present, (m) => m.support),
  };
}

/** counts[truth][predicted] from class indices, one pair per row. */
export function confusionFromIndices(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let r = 0; r < truth.length; r++) counts[truth[r]!]![predicted[r]!]!++;
  return counts;
}

/** RMSE, MAE and R² of values in the same units; R² is NaN when the truth does not vary. */
export function regressionErrors(predicted: ArrayLike<number>, truth: ArrayLike<number>): { rmse: number; mae: number; r2: number } {
  const n = truth.length;
  let squared = 0;
  let absolute = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = predicted[i]! - truth[i]!;
    squared += d * d;
    absolute += Math.abs(d);
    sum += truth[i]!;
  }
  const mean = sum / n;
  let spread = 0;
  for (let i = 0; i < n; i++) spread += (truth[i]! - mean) ** 2;
  return { rmse: Math.sqrt(squared / n), mae: absolute / n, r2: spread > 0 ? 1 - squared / spread : Number.NaN };
}

/** The quality metrics of a classifier's report, in the shape a split's metrics carry them. */
export function reportMetrics(report: ClassificationReport): Omit<SplitMetrics, 'loss'> {
  const { accuracy, balancedAccuracy, perClass, macroAvg, weightedAvg } = report;
  return { accuracy, balancedAccuracy, perClass, macroAvg, weightedAvg };
}

/**
 * A split's metrics with the full report: per-class metrics and balanced accuracy for classes, MAE for
 * values. It costs a second pass over the split, so it is made for a run's summary, not every epoch.
 */
export function evaluateReport(network: Network, split: Split, metric: MetricKind, classes: readonly string[] | null): SplitMetrics {
  const metrics = evaluate(network, split, metric);
  if (split.rows === 0) return metrics;
  const cols = network.outputs;
  const out = new Float32Array(split.rows * cols);
  network.predict(split.x, split.rows, out);
  if (metric.kind === 'classification') {
    if (!classes) return metrics;
    const report = classificationReport(confusionMatrix(out, split.y, split.rows, cols, classes.length), classes);
    return { ...metrics, ...reportMetrics(report) };
  }
  return { ...metrics, mae: regressionErrors(out, split.y).mae * metric.scale };
}
