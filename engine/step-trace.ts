import type { ActivationName } from './activations';
import type { LossName } from './losses';
import type { Optimizer, OptimizerSettings } from './optimizers';
import type { StepInProgress, StepWatcher } from './step-watcher';
import type { FloatArray } from './tensor';
import type { Trainer, TrainerStatus } from './trainer';

/** A traced matrix shows at most this many rows and columns (its top-left corner); its summary covers all of it. */
export const TRACE_SLICE = 8;
/** The batch's rows are listed up to this many (a full-batch step on a large file has far more). */
export const TRACE_ROW_LIMIT = 1000;

/** Statistics of a whole matrix, in float64. */
export interface MatrixSummary {
  min: number;
  max: number;
  mean: number;
  /** The Frobenius norm: the square root of the sum of squares. */
  norm: number;
}

/** A matrix of one step: its shape, the corner shown (row-major) and a summary of all of it. */
export interface TracedMatrix {
  rows: number;
  cols: number;
  shownRows: number;
  shownCols: number;
  values: number[];
  summary: MatrixSummary;
}

/** What the optimiser keeps for a parameter: momentum's velocity, or Adam's first (m) and second (v) moments. */
export type MomentName = 'velocity' | 'm' | 'v';

export interface MomentTrace {
  name: MomentName;
  before: TracedMatrix;
  after: TracedMatrix;
}

/** One trainable matrix through the update, every part over the same cells. */
export interface ParameterTrace {
  before: TracedMatrix;
  /** The gradient backpropagation gave (without L2, which the rule adds). */
  gradient: TracedMatrix;
  after: TracedMatrix;
  moments: MomentTrace[];
}

export interface LayerTrace {
  /** From 1, as the app numbers layers. */
  layer: number;
  inputs: number;
  units: number;
  activation: ActivationName;
  /** A_prev: the batch for the first layer, the layer below's A for the others. */
  input: TracedMatrix;
  z: TracedMatrix;
  a: TracedMatrix;
  /** ∂L/∂A from the layer above; null for the output layer, whose dZ the loss gives directly (fused with its activation). */
  da: TracedMatrix | null;
  dz: TracedMatrix;
  weights: ParameterTrace;
  bias: ParameterTrace | null;
}

/** One mini-batch of training as the engine computed it: the forward pass, the backward pass and the update. */
export interface StepTrace {
  /** The number of this step among all the run's steps, from 1. */
  step: number;
  /** The epoch it belongs to, from 1. */
  epoch: number;
  batchRows: number;
  /** The batch's rows as places in the training split (from 0), in batch order; at most TRACE_ROW_LIMIT. */
  trainingRows: number[];
  /** The same rows as data rows of the file (from 1, the header not counted), when the split knows them. */
  fileRows: number[] | null;
  /** The batch's loss before the update. */
  loss: number;
  lossName: LossName;
  learningRate: number;
  optimizer: OptimizerSettings;
  /** The optimiser's update count after this step (Adam's t). */
  t: number;
  layers: LayerTrace[];
  /** Where training stands after the step: an epoch's end may have stopped it (early stopping restores its best weights). */
  status: TrainerStatus;
  message: string;
}

/** The summary and top-left corner of the rows × cols matrix at the start of `values`. */
export function traceMatrix(values: ArrayLike<number>, rows: number, cols: number): TracedMatrix {
  const shownRows = Math.min(rows, TRACE_SLICE);
  const shownCols = Math.min(cols, TRACE_SLICE);
  const shown: number[] = [];
  for (let r = 0; r < shownRows; r++) for (let c = 0; c < shownCols; c++) shown.push(values[r * cols + c]!);
  return { rows, cols, shownRows, shownCols, values: shown, summary: summarize(values, rows * cols) };
}

function summarize(values: ArrayLike<number>, n: number): MatrixSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    squares += v * v;
  }
  return n === 0 ? { min: 0, max: 0, mean: 0, norm: 0 } : { min, max, mean: sum / n, norm: Math.sqrt(squares) };
}

const MOMENTS: Record<OptimizerSettings['name'], { first: MomentName | null; second: MomentName | null }> = {
  sgd: { first: null, second: null },
  momentum: { first: 'velocity', second: null },
  nesterov: { first: 'velocity', second: null },
  adam: { first: 'm', second: 'v' },
};

/** A parameter's matrices taken before the update; `finish` takes them after it. */
interface OpenParameter {
  values: FloatArray;
  rows: number;
  cols: number;
  before: TracedMatrix;
  gradient: TracedMatrix;
  moments: { name: MomentName; live: FloatArray; before: TracedMatrix }[];
}

/**
 * Records one step of the trainer's own path: `run` is handed a watcher to pass to `Trainer.step` (directly, or
 * through a host's loop that also keeps its records), and the buffers are read where that step leaves them.
 * Returns null when the step made no update (training had ended, or the step diverged and kept earlier weights).
 */
export function traceStep(trainer: Trainer, run: (watch: StepWatcher) => void): StepTrace | null {
  const network = trainer.network;
  // Filled by the watcher as the step passes it; an object, since the step runs inside `run`.
  const seen: {
    batch?: Omit<StepTrace, 'step' | 'epoch' | 't' | 'status' | 'message' | 'layers'>;
    open?: { layers: Omit<LayerTrace, 'weights' | 'bias'>[]; weights: OpenParameter[]; bias: (OpenParameter | null)[]; optimizer: Optimizer };
    layers?: LayerTrace[];
    t?: number;
  } = {};

  const watch: StepWatcher = {
    beforeUpdate(step: StepInProgress) {
      const { rows, optimizer } = step;
      const names = MOMENTS[optimizer.settings.name];
      let index = 0;
      const parameter = (values: FloatArray, grads: FloatArray, rows: number, cols: number): OpenParameter => {
        const { first, second } = optimizer.moments(index++);
        const moments = [
          ...(names.first ? [{ name: names.first, live: first }] : []),
          ...(names.second ? [{ name: names.second, live: second }] : []),
        ].map((m) => ({ ...m, before: traceMatrix(m.live, rows, cols) }));
        return { values, rows, cols, before: traceMatrix(values, rows, cols), gradient: traceMatrix(grads, rows, cols), moments };
      };
      const last = network.layers.length - 1;
      const weights: OpenParameter[] = [];
      const bias: (OpenParameter | null)[] = [];
      const shown = network.layers.map((layer, l) => {
        weights.push(parameter(layer.weights, layer.gradWeights, layer.inputs, layer.units));
        bias.push(layer.bias && layer.gradBias ? parameter(layer.bias, layer.gradBias, 1, layer.units) : null);
        return {
          layer: l + 1,
          inputs: layer.inputs,
          units: layer.units,
          activation: layer.act.name,
          input: traceMatrix(l === 0 ? step.x : network.layers[l - 1]!.a, rows, layer.inputs),
          z: traceMatrix(layer.z, rows, layer.units),
          a: traceMatrix(layer.a, rows, layer.units),
          da: l === last ? null : traceMatrix(layer.da, rows, layer.units),
          dz: traceMatrix(layer.dz, rows, layer.units),
        };
      });
      seen.open = { layers: shown, weights, bias, optimizer };
      const listed = Array.from(step.order.subarray(0, TRACE_ROW_LIMIT));
      const source = trainer.data.train.source;
      seen.batch = {
        batchRows: rows,
        trainingRows: listed,
        fileRows: source ? listed.map((i) => source[i]! + 1) : null,
        loss: trainer.lastBatchLoss,
        lossName: network.spec.loss,
        learningRate: step.learningRate,
        optimizer: { ...optimizer.settings },
      };
    },
    afterUpdate() {
      const taken = seen.open;
      if (!taken) return;
      seen.t = taken.optimizer.steps;
      const finish = (p: OpenParameter): ParameterTrace => ({
        before: p.before,
        gradient: p.gradient,
        after: traceMatrix(p.values, p.rows, p.cols),
        moments: p.moments.map((m) => ({ name: m.name, before: m.before, after: traceMatrix(m.live, p.rows, p.cols) })),
      });
      seen.layers = taken.layers.map((layer, l) => {
        const bias = taken.bias[l]!;
        return { ...layer, weights: finish(taken.weights[l]!), bias: bias ? finish(bias) : null };
      });
    },
  };

  run(watch);
  if (!seen.batch || !seen.layers || seen.t === undefined) return null;
  return {
    ...seen.batch,
    // The trainer's counters have moved past the step: its number is the count of steps done.
    step: trainer.steps,
    epoch: trainer.positionEpoch,
    t: seen.t,
    layers: seen.layers,
    status: trainer.status,
    message: trainer.message,
  };
}
