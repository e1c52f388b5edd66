import type { ActivationName } from '../activations';
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

  /*
   * Optional fused routines. A kernel set whose products copy operands (WebAssembly) saves copies and
   * passes over memory by doing a layer's work in one call; the layers and the optimiser use them when
   * present and otherwise compose the routines above. Same write-whole-output, read-first-entries rules.
   */

  /**
   * z[rows×units] = x[rows×inputs] · w[inputs×units] (+ bias[j] in every row when bias is not null), and, when
   * the implementation can apply `activation` itself, a = f(z). Returns true when it filled `a` too, false when
   * the caller must still apply the activation to z.
   */
  denseForward?(
    x: FloatArray, w: FloatArray, bias: FloatArray | null, z: FloatArray, a: FloatArray,
    rows: number, inputs: number, units: number, activation: ActivationName,
  ): boolean;
  /**
   * From dz[rows×units]: gradW[inputs×units] = xᵀ·dz, gradBias[j] = Σ_r dz[r, j] (when not null) and
   * dInput[rows×inputs] = dz · wᵀ (when not null).
   */
  denseBackward?(
    x: FloatArray, w: FloatArray, dz: FloatArray, gradW: FloatArray, gradBias: FloatArray | null, dInput: FloatArray | null,
    rows: number, inputs: number, units: number,
  ): void;
  /**
   * dz = da · f′(z) over rows×cols for the activation `activation` (z and a = f(z) from the forward pass).
   * Returns false when it leaves this activation to the caller.
   */
  activationBackward?(
    activation: ActivationName, z: FloatArray, a: FloatArray, da: FloatArray, dz: FloatArray, rows: number, cols: number,
  ): boolean;
  /** Plain SGD: values[i] −= lr·(grads[i] + lambda·values[i]) for i < n. Returns false when it leaves the update to the caller. */
  sgdUpdate?(values: FloatArray, grads: FloatArray, n: number, lr: number, lambda: number): boolean;
}
