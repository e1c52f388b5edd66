import { activation, type Activation, type ActivationName } from './activations';
import type { Kernels } from './kernels/types';
import { allocate, type FloatArray, type Precision } from './tensor';

/**
 * A fully connected layer: z = x·W + b, a = f(z), with W stored as inputs × units.
 * Every buffer is allocated once for `capacity` rows; forward and backward allocate nothing.
 */
export class DenseLayer {
  readonly act: Activation;
  readonly weights: FloatArray;
  readonly bias: FloatArray | null;
  readonly gradWeights: FloatArray;
  readonly gradBias: FloatArray | null;
  z: FloatArray;
  a: FloatArray;
  dz: FloatArray;
  /** Gradient with respect to this layer's output, filled by the layer above (or by the loss). */
  da: FloatArray;

  constructor(
    readonly inputs: number,
    readonly units: number,
    activationName: ActivationName,
    hasBias: boolean,
    readonly precision: Precision,
    private capacity: number,
  ) {
    this.act = activation(activationName);
    this.weights = allocate(precision, inputs * units);
    this.gradWeights = allocate(precision, inputs * units);
    this.bias = hasBias ? allocate(precision, units) : null;
    this.gradBias = hasBias ? allocate(precision, units) : null;
    this.z = allocate(precision, capacity * units);
    this.a = allocate(precision, capacity * units);
    this.dz = allocate(precision, capacity * units);
    this.da = allocate(precision, capacity * units);
  }

  /** Grows the per-row buffers; called between batches, never inside one. */
  ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = rows;
    this.z = allocate(this.precision, rows * this.units);
    this.a = allocate(this.precision, rows * this.units);
    this.dz = allocate(this.precision, rows * this.units);
    this.da = allocate(this.precision, rows * this.units);
  }

  forward(k: Kernels, x: FloatArray, rows: number): FloatArray {
    k.denseForward(x, this.weights, this.bias, this.z, this.a, rows, this.inputs, this.units, this.act);
    return this.a;
  }

  /** Given this.dz, fills the parameter gradients and, when asked, the gradient for the layer below. */
  backwardFromDz(k: Kernels, x: FloatArray, rows: number, dInput: FloatArray | null): void {
    k.denseBackward(x, this.weights, this.dz, this.gradWeights, this.gradBias, dInput, rows, this.inputs, this.units);
  }
}
