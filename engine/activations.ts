import type { FloatArray } from './tensor';

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'linear', 'softmax'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

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

/** Slope of leaky ReLU for negative inputs (the common default of PyTorch and Keras). */
export const LEAKY_SLOPE = 0.01;

/** σ(z) computed without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function elementwise(
  name: ActivationName,
  f: (z: number) => number,
  // derivative expressed through z and a = f(z), whichever is cheaper
  df: (z: number, a: number) => number,
): Activation {
  return {
    name,
    forward(z, a, rows, cols) {
      const n = rows * cols;
      for (let i = 0; i < n; i++) a[i] = f(z[i]!);
    },
    backward(z, a, da, dz, rows, cols) {
      const n = rows * cols;
      for (let i = 0; i < n; i++) dz[i] = da[i]! * df(z[i]!, a[i]!);
    },
  };
}

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
  sigmoid: elementwise('sigmoid', sigmoid, (_z, a) => a * (1 - a)),
  tanh: elementwise('tanh', Math.tanh, (_z, a) => 1 - a * a),
  relu: elementwise('relu', (z) => (z > 0 ? z : 0), (z) => (z > 0 ? 1 : 0)),
  leaky_relu: elementwise('leaky_relu', (z) => (z > 0 ? z : LEAKY_SLOPE * z), (z) => (z > 0 ? 1 : LEAKY_SLOPE)),
  linear: elementwise('linear', (z) => z, () => 1),
  softmax,
};

export function activation(name: ActivationName): Activation {
  return table[name];
}

export function isActivationName(value: string): value is ActivationName {
  return (ACTIVATIONS as readonly string[]).includes(value);
}
