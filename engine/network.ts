import { isActivationName, type ActivationName } from './activations';
import { fillRowWeights } from './class-weights';
import { DenseLayer } from './dense-layer';
import { initializeWeights, isInitName, type InitName } from './initializers';
import { referenceKernels } from './kernels/reference';
import type { Kernels } from './kernels/types';
import { isLossName, loss, LOSS_LABELS, type Loss, type LossName } from './losses';
import type { Random } from './random';
import { allocate, type FloatArray, type Precision } from './tensor';

export interface LayerSpec {
  units: number;
  activation: ActivationName;
}

/** The shape of a multilayer perceptron: the last layer in `layers` is the output layer. */
export interface NetworkSpec {
  inputs: number;
  layers: LayerSpec[];
  bias: boolean;
  loss: LossName;
  init: InitName;
}

/** One trainable array with its gradient; `decay` says whether L2 weight decay applies (weights, not biases). */
export interface Parameter {
  values: FloatArray;
  grads: FloatArray;
  decay: boolean;
}

/** Throws a plain-language error if the spec cannot make a working network. */
function validateSpec(spec: NetworkSpec): void {
  if (!Number.isInteger(spec.inputs) || spec.inputs < 1) throw new Error(`The network needs at least one input; got ${spec.inputs}.`);
  if (spec.layers.length === 0) throw new Error('The network needs an output layer.');
  spec.layers.forEach((layer, i) => {
    if (!Number.isInteger(layer.units) || layer.units < 1) {
      throw new Error(`Layer ${i + 1} needs a whole number of neurons of at least 1; got ${layer.units}.`);
    }
    if (!isActivationName(layer.activation)) throw new Error(`Layer ${i + 1} has an unknown activation "${layer.activation}".`);
    if (layer.activation === 'softmax' && i < spec.layers.length - 1) {
      throw new Error(`Softmax works only on the output layer, not on hidden layer ${i + 1}.`);
    }
  });
  if (!isLossName(spec.loss)) throw new Error(`Unknown loss "${spec.loss}".`);
  if (!isInitName(spec.init)) throw new Error(`Unknown initialiser "${spec.init}".`);
  const output = spec.layers[spec.layers.length - 1]!;
  const required = loss(spec.loss).requires;
  if (required && output.activation !== required) {
    throw new Error(`${LOSS_LABELS[spec.loss]} needs a ${required} output layer, but the output layer uses ${output.activation}.`);
  }
  if (output.activation === 'softmax' && output.units < 2) throw new Error('A softmax output needs at least two units.');
}

export class Network {
  readonly layers: DenseLayer[];
  readonly loss: Loss;
  private readonly lossScratch: FloatArray[] = [];
  private capacity: number;
  /** Each class's weight in the loss (engine/class-weights.ts), or null when every row counts once. */
  private classWeights: Float64Array | null = null;
  /** The weight of each row of the last loss, filled from its target's class. */
  private rowWeights: FloatArray;

  constructor(
    readonly spec: NetworkSpec,
    readonly precision: Precision = 'float32',
    capacity = 1,
    readonly kernels: Kernels = referenceKernels,
  ) {
    validateSpec(spec);
    this.capacity = Math.max(1, capacity);
    this.loss = loss(spec.loss);
    let inputs = spec.inputs;
    this.layers = spec.layers.map((layer) => {
      const dense = new DenseLayer(inputs, layer.units, layer.activation, spec.bias, precision, this.capacity);
      inputs = layer.units;
      return dense;
    });
    this.lossScratch.push(allocate(precision, this.capacity * this.outputs));
    this.rowWeights = allocate(precision, this.capacity);
  }

  /** Weighs every row of the loss (values and gradients alike) by its target class's weight; null: every row counts once. */
  setClassWeights(weights: readonly number[] | null): void {
    if (weights && weights.length !== Math.max(2, this.outputs)) {
      throw new Error(`The class weights are ${weights.length} numbers, but the network predicts ${Math.max(2, this.outputs)} classes.`);
    }
    this.classWeights = weights ? Float64Array.from(weights) : null;
  }

  get outputs(): number {
    return this.layers[this.layers.length - 1]!.units;
  }

  get output(): DenseLayer {
    return this.layers[this.layers.length - 1]!;
  }

  /** Number of trainable values. */
  get parameterCount(): number {
    return this.layers.reduce((sum, l) => sum + l.weights.length + (l.bias ? l.bias.length : 0), 0);
  }

  initialize(rng: Random): void {
    for (const layer of this.layers) {
      initializeWeights(this.spec.init, layer.weights, layer.inputs, layer.units, rng);
      layer.bias?.fill(0);
    }
  }

  ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = rows;
    for (const layer of this.layers) layer.ensureCapacity(rows);
    this.lossScratch[0] = allocate(this.precision, rows * this.outputs);
    this.rowWeights = allocate(this.precision, rows);
  }

  /** Runs rows × inputs through the network; the result lives in the output layer's buffer. */
  forward(x: FloatArray, rows: number): FloatArray {
    let input = x;
    for (const layer of this.layers) input = layer.forward(this.kernels, input, rows);
    return input;
  }

  /** The loss of the last forward pass against targets y (rows × outputs). */
  lossValue(y: FloatArray, rows: number): number {
    const out = this.output;
    return this.loss.value(out.z, out.a, y, rows, out.units, this.weightsOf(y, rows));
  }

  /** The rows' weights for targets y, or null without class weights. */
  private weightsOf(y: FloatArray, rows: number): FloatArray | null {
    if (!this.classWeights) return null;
    fillRowWeights(this.classWeights, y, rows, this.outputs, this.rowWeights);
    return this.rowWeights;
  }

  /** Fills every parameter gradient for the last forward pass on x. */
  backward(x: FloatArray, y: FloatArray, rows: number): void {
    const out = this.output;
    this.loss.gradient(out.z, out.a, y, out.act, this.lossScratch[0]!, out.dz, rows, out.units, this.weightsOf(y, rows));
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      // The output layer's dz came from the loss, which folds in its activation's derivative.
      if (l < this.layers.length - 1) this.kernels.activationBackward(layer.act, layer.z, layer.a, layer.da, layer.dz, rows, layer.units);
      const below = l > 0 ? this.layers[l - 1]! : null;
      layer.backwardFromDz(this.kernels, below ? below.a : x, rows, below ? below.da : null);
    }
  }

  parameters(): Parameter[] {
    const params: Parameter[] = [];
    for (const layer of this.layers) {
      params.push({ values: layer.weights, grads: layer.gradWeights, decay: true });
      if (layer.bias && layer.gradBias) params.push({ values: layer.bias, grads: layer.gradBias, decay: false });
    }
    return params;
  }

  /** Predicts any number of rows in chunks of at most `chunk`, writing rows × outputs into `out`. */
  predict(x: FloatArray, rows: number, out: FloatArray, chunk = 1024): void {
    this.ensureCapacity(Math.min(chunk, rows));
    const inputs = this.spec.inputs;
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      const result = this.forward(x.subarray(start * inputs, (start + n) * inputs), n);
      out.set(result.subarray(0, n * this.outputs), start * this.outputs);
    }
  }

  /** Copies all parameters into one flat array (for checkpoints and "last good weights"). */
  copyParametersTo(target: FloatArray): void {
    let offset = 0;
    for (const p of this.parameters()) {
      target.set(p.values, offset);
      offset += p.values.length;
    }
  }

  copyParametersFrom(source: ArrayLike<number>): void {
    if (source.length !== this.parameterCount) {
      throw new Error(`Expected ${this.parameterCount} parameters, got ${source.length}.`);
    }
    let offset = 0;
    for (const p of this.parameters()) {
      for (let i = 0; i < p.values.length; i++) p.values[i] = source[offset + i]!;
      offset += p.values.length;
    }
  }
}
