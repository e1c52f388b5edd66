import type { FloatArray } from '../tensor';

/**
 * The few numeric routines the layers need. Layers call only these, so a faster implementation
 * (WebAssembly SIMD, threads) can replace the JavaScript reference without touching any layer.
 * All matrices are row-major; every routine writes its whole output (no accumulation) and reads
 * only the first rows×cols entries of its arguments, so callers may pass buffers sized for a larger batch.
 */
export interface Kernels {
  readonly name: string;
  /** c[m×n] = a[m×k] · b[k×n] */
  matmul(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void;
  /** c[m×n] = aᵀ · b, where a is [k×m] and b is [k×n] (weight gradients: Xᵀ·dZ) */
  matmulTransA(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void;
  /** c[m×n] = a · bᵀ, where a is [m×k] and b is [n×k] (input gradients: dZ·Wᵀ) */
  matmulTransB(a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): void;
  /** z[r, j] += bias[j] for every row r < rows */
  addBias(z: FloatArray, bias: FloatArray, rows: number, cols: number): void;
  /** out[j] = Σ_r a[r, j] (bias gradients) */
  sumRows(a: FloatArray, out: FloatArray, rows: number, cols: number): void;
}
