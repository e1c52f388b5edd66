import type { ActivationName } from '../../engine/activations';
import type { LossName } from '../../engine/losses';
import type { NetworkSpec } from '../../engine/network';
import { Random } from '../../engine/random';
import workloadFile from '../../bench/workloads.json' with { type: 'json' };

/** One benchmark workload as every peer runs it: plain SGD, float32, this shape, this batch. */
export interface Workload {
  id: string;
  name: string;
  layers: number[];
  hiddenActivation: ActivationName;
  loss: 'sigmoid_mse' | 'sigmoid_bce' | 'softmax_ce';
  batch: number;
  rows: number;
  learningRate: number;
}

export const WORKLOADS: Workload[] = Object.entries(workloadFile.workloads).map(([id, w]) => ({
  id,
  name: w.name,
  layers: w.layers,
  hiddenActivation: w.hidden_act as ActivationName,
  loss: w.loss as Workload['loss'],
  batch: w.batch,
  rows: w.n,
  learningRate: workloadFile.lr,
}));

export function workloadSpec(w: Workload): NetworkSpec {
  const outputs = w.layers[w.layers.length - 1]!;
  const output: ActivationName = w.loss === 'softmax_ce' ? 'softmax' : 'sigmoid';
  const loss: LossName = w.loss === 'sigmoid_mse' ? 'mse' : w.loss === 'sigmoid_bce' ? 'bce' : 'softmax_ce';
  return {
    inputs: w.layers[0]!,
    layers: [...w.layers.slice(1, -1).map((units) => ({ units, activation: w.hiddenActivation })), { units: outputs, activation: output }],
    bias: true,
    loss,
    init: w.hiddenActivation === 'relu' ? 'he' : 'glorot',
  };
}

/** Random inputs and targets of the workload's shape (one-hot for softmax, 0/1 otherwise). */
export function workloadData(w: Workload, seed = 1): { x: Float32Array; y: Float32Array; rows: number } {
  const rng = new Random(seed);
  const inputs = w.layers[0]!;
  const outputs = w.layers[w.layers.length - 1]!;
  const x = Float32Array.from({ length: w.rows * inputs }, () => rng.normal());
  const y = new Float32Array(w.rows * outputs);
  for (let r = 0; r < w.rows; r++) {
    if (w.loss === 'softmax_ce') y[r * outputs + rng.below(outputs)] = 1;
    else for (let j = 0; j < outputs; j++) y[r * outputs + j] = rng.below(2);
  }
  return { x, y, rows: w.rows };
}

/** Floating-point operations per training sample: forward 2·in·out, backward 4·in·out per layer. */
export function flopsPerSample(w: Workload): number {
  let total = 0;
  for (let i = 1; i < w.layers.length; i++) total += 6 * w.layers[i - 1]! * w.layers[i]!;
  return total;
}
