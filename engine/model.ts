import type { ColumnarTable } from './data/columnar';
import { decodeOutput, emptyIssues, inputWidth, RowEncoder, type EncodeIssues, type Preprocessing } from './data/preprocessing';
import { Network, type NetworkSpec } from './network';
import type { Precision } from './tensor';

/** A trained network together with the preprocessing that turns raw rows into its inputs. */
export interface Model {
  spec: NetworkSpec;
  preprocessing: Preprocessing;
  layers: { weights: Float32Array; bias: Float32Array | null }[];
}

export function modelFromNetwork(network: Network, preprocessing: Preprocessing): Model {
  return {
    spec: structuredCloneSpec(network.spec),
    preprocessing,
    layers: network.layers.map((l) => ({ weights: Float32Array.from(l.weights), bias: l.bias ? Float32Array.from(l.bias) : null })),
  };
}

/** The model's network, in float32 to predict with, or in float64 where its arithmetic is checked (a gradient check). */
export function networkFromModel(model: Model, capacity = 256, precision: Precision = 'float32'): Network {
  const network = new Network(model.spec, precision, capacity);
  if (model.layers.length !== network.layers.length) throw new Error(`The model has ${model.layers.length} weight layers but its architecture needs ${network.layers.length}.`);
  model.layers.forEach((stored, i) => {
    const layer = network.layers[i]!;
    if (stored.weights.length !== layer.weights.length) {
      throw new Error(`Layer ${i + 1} of the model has ${stored.weights.length} weights; its architecture needs ${layer.weights.length}.`);
    }
    layer.weights.set(stored.weights);
    if (layer.bias) {
      if (!stored.bias || stored.bias.length !== layer.bias.length) throw new Error(`Layer ${i + 1} of the model is missing its biases.`);
      layer.bias.set(stored.bias);
    }
  });
  if (inputWidth(model.preprocessing) !== model.spec.inputs) {
    throw new Error(`The model's preprocessing makes ${inputWidth(model.preprocessing)} inputs but its network takes ${model.spec.inputs}.`);
  }
  return network;
}

export interface RowPrediction {
  /** The class label or value; null when the row could not be encoded (a missing feature under the drop policy). */
  prediction: string | number | null;
  /** Class probabilities in the order of the model's classes. */
  probabilities: number[] | null;
}

/**
 * Encodes every row of a table that the preprocessing can take: x holds them one after another, and
 * `usable` says which table row each one is; the others are counted in `issues`.
 */
export function encodeTable(p: Preprocessing, table: ColumnarTable, issues: EncodeIssues): { x: Float32Array; usable: number[] } {
  const encoder = new RowEncoder(p, table);
  const width = inputWidth(p);
  const x = new Float32Array(table.rows * width);
  const usable: number[] = [];
  for (let r = 0; r < table.rows; r++) {
    if (encoder.features(r, x, usable.length * width, issues)) usable.push(r);
    else issues.droppedMissing++;
  }
  return { x, usable };
}

/** Predicts every row of a table through the model's own preprocessing. */
export function predictTable(model: Model, table: ColumnarTable, issues: EncodeIssues = emptyIssues()): RowPrediction[] {
  const network = networkFromModel(model);
  const outputs = network.outputs;
  const { x, usable } = encodeTable(model.preprocessing, table, issues);
  const out = new Float32Array(usable.length * outputs);
  network.predict(x, usable.length, out);
  const result: RowPrediction[] = Array.from({ length: table.rows }, () => ({ prediction: null, probabilities: null }));
  usable.forEach((r, i) => {
    const decoded = decodeOutput(model.preprocessing.target, out, i * outputs);
    result[r] = { prediction: decoded.prediction, probabilities: decoded.probabilities ?? null };
  });
  return result;
}

function structuredCloneSpec(spec: NetworkSpec): NetworkSpec {
  return { ...spec, layers: spec.layers.map((l) => ({ ...l })) };
}
