import type { Activation } from '../activations';
import type { FloatArray } from '../tensor';

/**
 * The numeric work of training, one routine per job a layer or the optimiser has. Layers call only these, so
 * a faster implementation (WebAssembly SIMD, threads) can replace the JavaScript reference without touching
 * any layer; an implementation that cannot do some case itself hands it to the reference, never back to the caller.
 * All matrices are row-major; every routine writes its whole output (no accumulation) and reads only the
 * first rows×cols entries of its arguments, so callers may pass buffers sized for a larger batch.
 */
export interface Kernels {
  readonly name: string;
  /** z[rows×units] = x[rows×inputs] · w[inputs×units] (+ bias[j] in every row when bias is not null), then a = f(z). */
  denseForward(
    x: FloatArray, w: FloatArray, bias: FloatArray | null, z: FloatArray, a: FloatArray,
    rows: number, inputs: number, units: number, activation: Activation,
  ): void;
  /**
   * From dz[rows×units]: gradW[inputs×units] = xᵀ·dz, gradBias[j] = Σ_r dz[r, j] (when not null) and
   * dInput[rows×inputs] = dz · wᵀ (when not null).
   */
  denseBackward(
    x: FloatArray, w: FloatArray, dz: FloatArray, gradW: FloatArray, gradBias: FloatArray | null, dInput: FloatArray | null,
    rows: number, inputs: number, units: number,
  ): void;
  /** dz = da · f′(z) over rows×cols (z and a = f(z) from the forward pass). */
  activationBackward(
    activation: Activation, z: FloatArray, a: FloatArray, da: FloatArray, dz: FloatArray, rows: number, cols: number,
  ): void;
  /** Plain SGD: values[i] −= lr·(grads[i] + lambda·values[i]) for i < n. */
  sgdUpdate(values: FloatArray, grads: FloatArray, n: number, lr: number, lambda: number): void;
}
