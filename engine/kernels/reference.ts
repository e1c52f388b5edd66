import type { FloatArray } from '../tensor';
import type { Kernels } from './types';

/**
 * Plain JavaScript kernels: the reference every faster kernel is tested against, and the fallback.
 * Loop orders keep the innermost loop walking contiguous memory in both operands.
 */
export const referenceKernels: Kernels = {
  name: 'js-reference',

  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
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
  },

  matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
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
  },

  matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void {
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
  },

  addBias(z: FloatArray, bias: FloatArray, rows: number, cols: number): void {
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let j = 0; j < cols; j++) z[row + j]! += bias[j]!;
    }
  },

  sumRows(a: FloatArray, out: FloatArray, rows: number, cols: number): void {
    out.fill(0, 0, cols);
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let j = 0; j < cols; j++) out[j]! += a[row + j]!;
    }
  },
};
