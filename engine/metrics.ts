import { LOSS_REGISTRY, type LossName } from './losses';
import type { Network } from './network';
import type { FloatArray } from './tensor';

/** How outputs are judged: classes (accuracy) or values in the target's units (RMSE, R²). */
export type MetricKind =
  | { kind: 'classification' }
  | { kind: 'regression'; /** targets were divided by this; errors are reported in original units */ scale: number };

/** Precision, recall and F1 of one class, and how many rows truly are that class (its support). */
export interface ClassMetrics {
  class: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

export interface SplitMetrics {
  loss: number;
  accuracy?: number;
  rmse?: number;
  r2?: number;
  /** The report a run's summary carries (engine/metrics-report.ts); epochs do without it. */
  mae?: number;
  balancedAccuracy?: number;
  perClass?: ClassMetrics[];
  macroAvg?: AveragedMetrics;
  weightedAvg?: AveragedMetrics;
}

/** A split of encoded data: rows × inputs features and rows × outputs targets. */
export interface Split {
  x: FloatArray;
  y: FloatArray;
  rows: number;
  /** Which table row each encoded row came from, when it came from a table. */
  source?: Uint32Array;
}

/** Index of the predicted class of one output row: threshold 0.5 for one output, otherwise the largest. */
function predictedClass(out: ArrayLike<number>, row: number, cols: number): number {
  const base = row * cols;
  if (cols === 1) return out[base]! >= 0.5 ? 1 : 0;
  let best = 0;
  for (let j = 1; j < cols; j++) if (out[base + j]! > out[base + best]!) best = j;
  return best;
}

export function countCorrect(out: FloatArray, y: FloatArray, rows: number, cols: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) if (predictedClass(out, r, cols) === predictedClass(y, r, cols)) correct++;
  return correct;
}

/** Combines per-chunk losses the way the loss itself combines rows: a sum or a mean (its reduction). */
export function combineLoss(lossName: LossName, sum: number, rows: number): number {
  return LOSS_REGISTRY[lossName].reduction === 'sum' ? sum : sum / Math.max(1, rows);
}

/** Loss and quality metrics of the network on a whole split, computed in chunks. */
export function evaluate(network: Network, split: Split, metric: MetricKind, chunk = 1024): SplitMetrics {
  const inputs = network.spec.inputs;
  const cols = network.outputs;
  const isSum = LOSS_REGISTRY[network.spec.loss].reduction === 'sum';
  network.ensureCapacity(Math.min(chunk, Math.max(1, split.rows)));
  let lossSum = 0;
  let correct = 0;
  let squaredError = 0;
  let targetSum = 0;
  let targetSquares = 0;
  for (let start = 0; start < split.rows; start += chunk) {
    const n = Math.min(chunk, split.rows - start);
    const x = split.x.subarray(start * inputs, (start + n) * inputs);
    const y = split.y.subarray(start * cols, (start + n) * cols);
    const out = network.forward(x, n);
    const chunkLoss = network.lossValue(y, n);
    lossSum += isSum ? chunkLoss : chunkLoss * n;
    if (metric.kind === 'classification') {
      correct += countCorrect(out, y, n, cols);
    } else {
      for (let i = 0; i < n * cols; i++) {
        const d = out[i]! - y[i]!;
        squaredError += d * d;
        targetSum += y[i]!;
        targetSquares += y[i]! * y[i]!;
      }
    }
  }
  const result: SplitMetrics = { loss: combineLoss(network.spec.loss, lossSum, split.rows) };
  if (metric.kind === 'classification') {
    result.accuracy = split.rows > 0 ? correct / split.rows : Number.NaN;
  } else {
    const count = split.rows * cols;
    const mean = targetSum / count;
    const total = targetSquares - count * mean * mean;
    result.rmse = Math.sqrt(squaredError / count) * metric.scale;
    result.r2 = total > 0 ? 1 - squaredError / total : Number.NaN;
  }
  return result;
}

/** counts[truth][predicted] for class indices 0..classes−1. */
export function confusionMatrix(out: FloatArray, y: FloatArray, rows: number, cols: number, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let r = 0; r < rows; r++) counts[predictedClass(y, r, cols)]![predictedClass(out, r, cols)]!++;
  return counts;
}
