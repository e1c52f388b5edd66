import type { FloatArray } from '../tensor';
import type { Kernels } from './types';

/*
 * Plain JavaScript kernels: the reference every faster kernel is tested against, and the fallback.
 * Each layer routine is composed of the products and sums below, which loop so that the innermost loop
 * walks contiguous memory in both operands.
 */

/** c[m×n] = a[m×k] · b[k×n] */
export function matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const rowC = i * n;
    const rowA = i * k;
    for (let p = 0; p < k; p++) {
      const aip = a[rowA + p]!;
      if (aip === 0) continue;
      const rowB = p * n;
      for (let j = 0; j < n; j++) c[rowC + j]! += aip * b[rowB + j]!;
    }
  }
}

/** c[m×n] = aᵀ · b, where a is [k×m] and b is [k×n] (weight gradients: Xᵀ·dZ) */
export function matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  c.fill(0, 0, m * n);
  for (let p = 0; p < k; p++) {
    const rowA = p * m;
    const rowB = p * n;
    for (let i = 0; i < m; i++) {
      const api = a[rowA + i]!;
      if (api === 0) continue;
      const rowC = i * n;
      for (let j = 0; j < n; j++) c[rowC + j]! += api * b[rowB + j]!;
    }
  }
}

/** c[m×n] = a · bᵀ, where a is [m×k] and b is [n×k] (input gradients: dZ·Wᵀ) */
export function matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const rowA = i * k;
    const rowC = i * n;
    for (let j = 0; j < n; j++) {
      const rowB = j * k;
      let sum = 0;
      for (let p = 0; p < k; p++) sum += a[rowA + p]! * b[rowB + p]!;
      c[rowC + j] = sum;
    }
  }
}

/** z[r, j] += bias[j] for every row r < rows */
export function addBias(z: FloatArray, bias: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let j = 0; j < cols; j++) z[row + j]! += bias[j]!;
  }
}

/** out[j] = Σ_r a[r, j] (bias gradients) */
export function sumRows(a: FloatArray, out: FloatArray, rows: number, cols: number): void {
  out.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const row = r * cols;
    for (let j = 0; j < cols; j++) out[j]! += a[row + j]!;
  }
}

export const referenceKernels: Kernels = {
  name: 'js-reference',

  denseForward(x, w, bias, z, a, rows, inputs, units, activation) {
    matmul(x, w, z, rows, inputs, units);
    if (bias) addBias(z, bias, rows, units);
    activation.forward(z, a, rows, units);
  },

  denseBackward(x, w, dz, gradW, gradBias, dInput, rows, inputs, units) {
    matmulTransA(x, dz, gradW, inputs, rows, units);
    if (gradBias) sumRows(dz, gradBias, rows, units);
    if (dInput) matmulTransB(dz, w, dInput, rows, units, inputs);
  },

  activationBackward(activation, z, a, da, dz, rows, cols) {
    activation.backward(z, a, da, dz, rows, cols);
  },

  sgdUpdate(values, grads, n, lr, lambda) {
    for (let i = 0; i < n; i++) values[i]! -= lr * (grads[i]! + lambda * values[i]!);
  },
};
