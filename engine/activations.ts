import { labelsOf, namesOf } from './registry';
import type { FloatArray } from './tensor';

export interface ActivationEntry {
  /** What the activation is called where people see it. */
  readonly label: string;
  /** Whether a hidden layer may use it: softmax normalises a whole layer into probabilities, so it is for the output only. */
  readonly hidden: boolean;
}

const registry = {
  sigmoid: { label: 'sigmoid', hidden: true },
  tanh: { label: 'tanh', hidden: true },
  relu: { label: 'ReLU', hidden: true },
  leaky_relu: { label: 'leaky ReLU', hidden: true },
  linear: { label: 'linear', hidden: true },
  softmax: { label: 'softmax', hidden: false },
} as const satisfies Record<string, ActivationEntry>;

export type ActivationName = keyof typeof registry;
export type HiddenActivationName = { [N in ActivationName]: (typeof registry)[N]['hidden'] extends true ? N : never }[ActivationName];

export const ACTIVATION_REGISTRY: Readonly<Record<ActivationName, ActivationEntry>> = registry;
export const ACTIVATIONS = namesOf(ACTIVATION_REGISTRY);
export const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((name): name is HiddenActivationName => ACTIVATION_REGISTRY[name].hidden);
export const ACTIVATION_LABELS = labelsOf(ACTIVATION_REGISTRY);

/**
 * An activation keeps its value and its derivative side by side, so the calculus can be checked at a glance.
 * `backward` turns the gradient with respect to the output (da) into the gradient with respect to the
 * input (dz), given both the input z and the output a = f(z) of the forward pass.
 */
export interface Activation {
  readonly name: ActivationName;
  forward(z: FloatArray, a: FloatArray, rows: number, cols: number): void;
  backward(z: FloatArray, a: FloatArray, da: FloatArray, dz: FloatArray, rows: number, cols: number): void;
}

/** Slope of leaky ReLU for negative inputs (the common default of PyTorch and Keras); every export writes this one. */
export const LEAKY_SLOPE = 0.01;

/** σ(z) computed without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/*
 * Each elementwise activation has its own loops, with f and f′ written out in them, rather than one loop
 * calling f through a closure: a shared call site that sees every activation is megamorphic, and V8 then
 * calls through it for every element (measured: about 3× slower on a 64×128 batch).
 * f′ is expressed through z or a = f(z), whichever is cheaper, and multiplies da exactly as before
 * (da · f′), so results are bit-identical to the closure version.
 */
const sigmoidActivation: Activation = {
  name: 'sigmoid',
  forward(z, a, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) a[i] = sigmoid(z[i]!);
  },
  // σ′(z) = σ(z)(1 − σ(z)) = a(1 − a)
  backward(_z, a, da, dz, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) {
      const ai = a[i]!;
      dz[i] = da[i]! * (ai * (1 - ai));
    }
  },
};

const tanhActivation: Activation = {
  name: 'tanh',
  forward(z, a, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]!);
  },
  // tanh′(z) = 1 − tanh²(z) = 1 − a²
  backward(_z, a, da, dz, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) {
      const ai = a[i]!;
      dz[i] = da[i]! * (1 - ai * ai);
    }
  },
};

const reluActivation: Activation = {
  name: 'relu',
  forward(z, a, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      a[i] = zi > 0 ? zi : 0;
    }
  },
  // relu′(z) = 1 for z > 0, else 0
  backward(z, _a, da, dz, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) dz[i] = da[i]! * (z[i]! > 0 ? 1 : 0);
  },
};

const leakyReluActivation: Activation = {
  name: 'leaky_relu',
  forward(z, a, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      a[i] = zi > 0 ? zi : LEAKY_SLOPE * zi;
    }
  },
  // f′(z) = 1 for z > 0, else the slope
  backward(z, _a, da, dz, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) dz[i] = da[i]! * (z[i]! > 0 ? 1 : LEAKY_SLOPE);
  },
};

const linearActivation: Activation = {
  name: 'linear',
  forward(z, a, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) a[i] = z[i]!;
  },
  // f′(z) = 1
  backward(_z, _a, da, dz, rows, cols) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) dz[i] = da[i]! * 1;
  },
};

const softmax: Activation = {
  name: 'softmax',
  forward(z, a, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) if (z[row + j]! > max) max = z[row + j]!;
      let sum = 0;
      for (let j = 0; j < cols; j++) {
        const e = Math.exp(z[row + j]! - max);
        a[row + j] = e;
        sum += e;
      }
      for (let j = 0; j < cols; j++) a[row + j]! /= sum;
    }
  },
  // Jacobian-vector product of softmax: dz_i = a_i (da_i − Σ_j da_j a_j).
  backward(_z, a, da, dz, rows, cols) {
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += da[row + j]! * a[row + j]!;
      for (let j = 0; j < cols; j++) dz[row + j] = a[row + j]! * (da[row + j]! - dot);
    }
  },
};

const table: Record<ActivationName, Activation> = {
  sigmoid: sigmoidActivation,
  tanh: tanhActivation,
  relu: reluActivation,
  leaky_relu: leakyReluActivation,
  linear: linearActivation,
  softmax,
};

export function activation(name: ActivationName): Activation {
  return table[name];
}

export function isActivationName(value: string): value is ActivationName {
  return (ACTIVATIONS as readonly string[]).includes(value);
}
