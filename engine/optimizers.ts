import { referenceKernels } from './kernels/reference';
import type { Kernels } from './kernels/types';
import type { Parameter } from './network';
import { labelsOf, namesOf } from './registry';
import { allocate, type FloatArray, type Precision } from './tensor';

export interface OptimizerEntry {
  /** What the optimiser is called where people see it. */
  readonly label: string;
}

const registry = {
  sgd: { label: 'SGD' },
  momentum: { label: 'SGD with momentum' },
  nesterov: { label: 'Nesterov momentum' },
  adam: { label: 'Adam' },
} as const satisfies Record<string, OptimizerEntry>;

export type OptimizerName = keyof typeof registry;

export const OPTIMIZER_REGISTRY: Readonly<Record<OptimizerName, OptimizerEntry>> = registry;
export const OPTIMIZERS = namesOf(OPTIMIZER_REGISTRY);
export const OPTIMIZER_LABELS = labelsOf(OPTIMIZER_REGISTRY);

export interface OptimizerSettings {
  name: OptimizerName;
  /** Momentum coefficient for momentum and Nesterov (PyTorch's convention: v = μv + g). */
  momentum: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** L2 penalty λ: adds λ·w to the gradient of every weight (not biases), i.e. λ/2·‖w‖² to the loss. */
  l2: number;
}

export const DEFAULT_OPTIMIZER: OptimizerSettings = {
  name: 'sgd',
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  l2: 0,
};

/** Applies one update to every parameter from its gradient. State is allocated once, here. */
export class Optimizer {
  private readonly first: FloatArray[];
  private readonly second: FloatArray[];
  private t = 0;

  constructor(
    private readonly params: Parameter[],
    readonly settings: OptimizerSettings,
    precision: Precision = 'float32',
    /** Where plain SGD runs (the network's kernels, e.g. WebAssembly SIMD). */
    private readonly kernels: Kernels = referenceKernels,
  ) {
    const needsFirst = settings.name !== 'sgd';
    const needsSecond = settings.name === 'adam';
    this.first = params.map((p) => allocate(precision, needsFirst ? p.values.length : 0));
    this.second = params.map((p) => allocate(precision, needsSecond ? p.values.length : 0));
  }

  /** Number of updates applied so far. */
  get steps(): number {
    return this.t;
  }

  /** Parameter p's live state: momentum's velocity (first) or Adam's first and second moments; empty where unused. */
  moments(p: number): { first: FloatArray; second: FloatArray } {
    return { first: this.first[p]!, second: this.second[p]! };
  }

  step(lr: number): void {
    this.t++;
    const { name, momentum, beta1, beta2, epsilon, l2 } = this.settings;
    const correction1 = 1 - Math.pow(beta1, this.t);
    const correction2 = 1 - Math.pow(beta2, this.t);
    for (let p = 0; p < this.params.length; p++) {
      const { values, grads, decay } = this.params[p]!;
      const lambda = decay ? l2 : 0;
      const m = this.first[p]!;
      const v = this.second[p]!;
      const n = values.length;
      switch (name) {
        case 'sgd':
          this.kernels.sgdUpdate(values, grads, n, lr, lambda);
          break;
        case 'momentum':
          for (let i = 0; i < n; i++) {
            const g = grads[i]! + lambda * values[i]!;
            m[i] = momentum * m[i]! + g;
            values[i]! -= lr * m[i]!;
          }
          break;
        case 'nesterov':
          for (let i = 0; i < n; i++) {
            const g = grads[i]! + lambda * values[i]!;
            m[i] = momentum * m[i]! + g;
            values[i]! -= lr * (g + momentum * m[i]!);
          }
          break;
        case 'adam':
          for (let i = 0; i < n; i++) {
            const g = grads[i]! + lambda * values[i]!;
            m[i] = beta1 * m[i]! + (1 - beta1) * g;
            v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
            values[i]! -= (lr * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + epsilon);
          }
          break;
      }
    }
  }

  /** A copy of the optimiser state as flat arrays, for checkpoints that resume exactly. */
  exportState(): { t: number; first: FloatArray[]; second: FloatArray[] } {
    // Copies, not the live buffers: `t` is a snapshot, so the moments must be one too.
    return { t: this.t, first: this.first.map((a) => a.slice()), second: this.second.map((a) => a.slice()) };
  }

  importState(state: { t: number; first: ArrayLike<number>[]; second: ArrayLike<number>[] }): void {
    if (state.first.length !== this.first.length || state.second.length !== this.second.length) {
      throw new Error('The optimiser state does not match this network.');
    }
    this.t = state.t;
    state.first.forEach((src, i) => copyInto(this.first[i]!, src));
    state.second.forEach((src, i) => copyInto(this.second[i]!, src));
  }
}

function copyInto(target: FloatArray, source: ArrayLike<number>): void {
  if (target.length !== source.length) throw new Error('The optimiser state does not match this network.');
  for (let i = 0; i < source.length; i++) target[i] = source[i]!;
}

export function isOptimizerName(value: string): value is OptimizerName {
  return (OPTIMIZERS as readonly string[]).includes(value);
}
