import type { Activation, ActivationName } from './activations';
import { labelsOf, namesOf } from './registry';
import type { FloatArray } from './tensor';

export interface LossEntry {
  /** What the loss is called where people see it. */
  readonly label: string;
  /** How the loss combines rows: their sum, or their mean. Epoch and split losses combine batches the same way. */
  readonly reduction: 'sum' | 'mean';
}

const registry = {
  sse: { label: 'sum of squares', reduction: 'sum' },
  mse: { label: 'mean squared error', reduction: 'mean' },
  bce: { label: 'binary cross-entropy', reduction: 'mean' },
  softmax_ce: { label: 'softmax cross-entropy', reduction: 'mean' },
} as const satisfies Record<string, LossEntry>;

export type LossName = keyof typeof registry;

export const LOSS_REGISTRY: Readonly<Record<LossName, LossEntry>> = registry;
export const LOSSES = namesOf(LOSS_REGISTRY);
export const LOSS_LABELS = labelsOf(LOSS_REGISTRY);

/**
 * A loss works on the output layer's pre-activation z and output a = f(z), against targets y.
 * `gradient` writes ∂loss/∂z. Cross-entropies are fused with their output activation and computed from
 * z, so saturated outputs give finite losses and exact gradients (a − y) instead of 0·∞.
 *
 * `weights`, when given, holds one weight per row (its class's weight): each row's term is multiplied by it
 * and the reduction stays the same, a sum, or a mean over the n rows (scikit-learn's sample weights), not over
 * the sum of the weights as in PyTorch's CrossEntropyLoss(weight=…). A batch's loss is then a plain sum of
 * row terms, so batches and chunks combine exactly as they do without weights.
 */
export interface Loss {
  readonly name: LossName;
  /** The output activation this loss requires, if any. */
  readonly requires?: ActivationName;
  value(z: FloatArray, a: FloatArray, y: FloatArray, rows: number, cols: number, weights?: FloatArray | null): number;
  gradient(
    z: FloatArray, a: FloatArray, y: FloatArray, output: Activation,
    scratch: FloatArray, dz: FloatArray, rows: number, cols: number, weights?: FloatArray | null,
  ): void;
}

/** log(1 + e^x) without overflow or loss of precision. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function squaredError(name: LossName): Loss {
  const scale = (rows: number, cols: number): number => (LOSS_REGISTRY[name].reduction === 'sum' ? 1 : 1 / (rows * cols));
  return {
    name,
    value(_z, a, y, rows, cols, weights) {
      const squares = (from: number, to: number): number => {
        let sum = 0;
        for (let i = from; i < to; i++) {
          const d = a[i]! - y[i]!;
          sum += d * d;
        }
        return sum;
      };
      return weightedRows(squares, rows, cols, weights) * scale(rows, cols);
    },
    gradient(z, a, y, output, scratch, dz, rows, cols, weights) {
      const s = 2 * scale(rows, cols);
      // A weight of 1 (no weights) multiplies exactly, so unweighted gradients are what they always were.
      for (let r = 0; r < rows; r++) {
        const w = s * (weights ? weights[r]! : 1);
        for (let i = r * cols, end = i + cols; i < end; i++) scratch[i] = w * (a[i]! - y[i]!);
      }
      output.backward(z, a, scratch, dz, rows, cols);
    },
  };
}

/**
 * Σ over rows of weight × term(row's first index, end index), or the unweighted sum in one run over every
 * index, as it always was, so that runs without weights compute bit for bit what they did before weights existed.
 */
function weightedRows(term: (from: number, to: number) => number, rows: number, cols: number, weights?: FloatArray | null): number {
  if (!weights) return term(0, rows * cols);
  let sum = 0;
  for (let r = 0; r < rows; r++) sum += weights[r]! * term(r * cols, (r + 1) * cols);
  return sum;
}

/** dz = w_r · (a − y) / divisor for every output of every row (w_r = 1 without weights, exactly): the gradient of both cross-entropies. */
function crossEntropyGradient(a: FloatArray, y: FloatArray, dz: FloatArray, rows: number, cols: number, divisor: number, weights?: FloatArray | null): void {
  for (let r = 0; r < rows; r++) {
    const w = weights ? weights[r]! : 1;
    for (let i = r * cols, end = i + cols; i < end; i++) dz[i] = (w * (a[i]! - y[i]!)) / divisor;
  }
}

const binaryCrossEntropy: Loss = {
  name: 'bce',
  requires: 'sigmoid',
  // −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z, averaged over every output.
  value(z, _a, y, rows, cols, weights) {
    const terms = (from: number, to: number): number => {
      let sum = 0;
      for (let i = from; i < to; i++) sum += softplus(z[i]!) - y[i]! * z[i]!;
      return sum;
    };
    return weightedRows(terms, rows, cols, weights) / (rows * cols);
  },
  gradient(_z, a, y, _output, _scratch, dz, rows, cols, weights) {
    crossEntropyGradient(a, y, dz, rows, cols, rows * cols, weights);
  },
};

const softmaxCrossEntropy: Loss = {
  name: 'softmax_ce',
  requires: 'softmax',
  // −Σ_j y_j log softmax(z)_j = Σ_j y_j (logΣexp(z) − z_j), averaged over rows.
  value(z, _a, y, rows, cols, weights) {
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (z[base + j]! > max) max = z[base + j]!;
      let exps = 0;
      for (let j = 0; j < cols; j++) exps += Math.exp(z[base + j]! - max);
      const logSumExp = max + Math.log(exps);
      const w = weights ? weights[r]! : 1;
      for (let j = 0; j < cols; j++) {
        const target = y[base + j]!;
        if (target !== 0) sum += w * (target * (logSumExp - z[base + j]!));
      }
    }
    return sum / rows;
  },
  gradient(_z, a, y, _output, _scratch, dz, rows, cols, weights) {
    crossEntropyGradient(a, y, dz, rows, cols, rows, weights);
  },
};

const table: Record<LossName, Loss> = {
  sse: squaredError('sse'),
  mse: squaredError('mse'),
  bce: binaryCrossEntropy,
  softmax_ce: softmaxCrossEntropy,
};

export function loss(name: LossName): Loss {
  return table[name];
}

export function isLossName(value: string): value is LossName {
  return (LOSSES as readonly string[]).includes(value);
}
