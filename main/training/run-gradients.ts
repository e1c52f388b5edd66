import { existsSync } from 'node:fs';
import { checkGradientsByLayer, type GradientCheckReport } from '../../engine/gradient-check';
import { Network } from '../../engine/network';
import { loadModel } from '../model-file';
import { hasCheckpoint, loadCheckpoint } from '../store/checkpoint';
import type { RunStore } from '../store/run-store';
import { readRunData } from './run-data';

/** The most training rows a check runs on: two forward passes a parameter checked, each over these rows. */
const MAX_CHECK_ROWS = 32;

export interface RunGradientCheck extends GradientCheckReport {
  run: string;
  /** Which weights were checked: the saved model, or the last checkpoint of a run that has none yet. */
  weights: 'model' | 'checkpoint';
}

/**
 * Checks backpropagation on a run's own network and data: its weights (the saved model, else the last
 * checkpoint) in float64, on its first training rows (a mini-batch of at most MAX_CHECK_ROWS), with its loss and
 * class weights, against central finite differences.
 */
export async function checkRunGradients(store: RunStore, id: string): Promise<RunGradientCheck> {
  const record = await store.get(id);
  const { data } = await readRunData(record.request);
  const batch = record.training.batchSize === 'full' ? data.train.rows : record.training.batchSize;
  const rows = Math.min(batch, MAX_CHECK_ROWS, data.train.rows);
  if (rows < 1) throw new Error(`Run ${id} has no training rows to check its gradients on.`);
  const network = new Network(record.model, 'float64', rows);
  let weights: RunGradientCheck['weights'];
  if (existsSync(store.modelPath(id))) {
    const model = await loadModel(store.modelPath(id));
    model.layers.forEach((stored, i) => {
      network.layers[i]!.weights.set(stored.weights);
      if (stored.bias) network.layers[i]!.bias?.set(stored.bias);
    });
    weights = 'model';
  } else if (hasCheckpoint(store.runDir(id))) {
    network.copyParametersFrom((await loadCheckpoint(store.runDir(id), id)).parameters);
    weights = 'checkpoint';
  } else {
    throw new Error(`Run ${id} has no weights yet: start it, then check its gradients.`);
  }
  network.setClassWeights(record.training.classWeights ?? null);
  const x = Float64Array.from(data.train.x.subarray(0, rows * record.model.inputs));
  const y = Float64Array.from(data.train.y.subarray(0, rows * network.outputs));
  return { run: id, weights, ...checkGradientsByLayer(network, x, y, rows) };
}
