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
 */
export interface Loss {
  readonly name: LossName;
  /** The output activation this loss requires, if any. */
  readonly requires?: ActivationName;
  value(z: FloatArray, a: FloatArray, y: FloatArray, rows: number, cols: number): number;
  gradient(
    z: FloatArray, a: FloatArray, y: FloatArray, output: Activation,
    scratch: FloatArray, dz: FloatArray, rows: number, cols: number,
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
    value(_z, a, y, rows, cols) {
      const n = rows * cols;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const d = a[i]! - y[i]!;
        sum += d * d;
      }
      return sum * scale(rows, cols);
    },
    gradient(z, a, y, output, scratch, dz, rows, cols) {
      const n = rows * cols;
      const s = 2 * scale(rows, cols);
      for (let i = 0; i < n; i++) scratch[i] = s * (a[i]! - y[i]!);
      output.backward(z, a, scratch, dz, rows, cols);
    },
  };
}

const binaryCrossEntropy: Loss = {
  name: 'bce',
  requires: 'sigmoid',
  // −[y log σ(z) + (1−y) log(1−σ(z))] = softplus(z) − y·z, averaged over every output.
  value(z, _a, y, rows, cols) {
    const n = rows * cols;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += softplus(z[i]!) - y[i]! * z[i]!;
    return sum / n;
  },
  gradient(_z, a, y, _output, _scratch, dz, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) dz[i] = (a[i]! - y[i]!) / n;
  },
};

const softmaxCrossEntropy: Loss = {
  name: 'softmax_ce',
  requires: 'softmax',
  // −Σ_j y_j log softmax(z)_j = Σ_j y_j (logΣexp(z) − z_j), averaged over rows.
  value(z, _a, y, rows, cols) {
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (z[row + j]! > max) max = z[row + j]!;
      let exps = 0;
      for (let j = 0; j < cols; j++) exps += Math.exp(z[row + j]! - max);
      const logSumExp = max + Math.log(exps);
      for (let j = 0; j < cols; j++) {
        const target = y[row + j]!;
        if (target !== 0) sum += target * (logSumExp - z[row + j]!);
      }
    }
    return sum / rows;
  },
  gradient(_z, a, y, _output, _scratch, dz, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) dz[i] = (a[i]! - y[i]!) / rows;
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
