import { existsSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { gradientCheckSteps, type GradientCheckReport } from '../../engine/gradient-check';
import type { RunGradientCheck } from '../../common/lab-api';
import { networkFromModel } from '../../engine/model';
import { Network } from '../../engine/network';
import { loadModel } from '../model-file';
import { hasCheckpoint, loadCheckpoint } from '../store/checkpoint';
import type { RunStore } from '../store/run-store';
import { readRunData } from './run-data';

/** The most training rows a check runs on: two forward passes a parameter checked, each over these rows. */
const MAX_CHECK_ROWS = 32;

/** The check runs in slices of this length, so that the process hosting it (the desktop app's main process) keeps answering. */
const SLICE_MS = 20;

export type { RunGradientCheck };

async function inSlices(steps: Generator<void, GradientCheckReport>): Promise<GradientCheckReport> {
  let deadline = performance.now() + SLICE_MS;
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() >= deadline) {
      await nextTurn();
      deadline = performance.now() + SLICE_MS;
    }
  }
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
  let network: Network;
  let weights: RunGradientCheck['weights'];
  if (existsSync(store.modelPath(id))) {
    network = networkFromModel(await loadModel(store.modelPath(id)), rows, 'float64');
    weights = 'model';
  } else if (hasCheckpoint(store.runDir(id))) {
    network = new Network(record.model, 'float64', rows);
    network.copyParametersFrom((await loadCheckpoint(store.runDir(id), id)).parameters);
    weights = 'checkpoint';
  } else {
    throw new Error(`Run ${id} has no weights yet: start it, then check its gradients.`);
  }
  network.setClassWeights(record.training.classWeights ?? null);
  const x = Float64Array.from(data.train.x.subarray(0, rows * record.model.inputs));
  const y = Float64Array.from(data.train.y.subarray(0, rows * network.outputs));
  return { run: id, weights, ...(await inSlices(gradientCheckSteps(network, x, y, rows))) };
}
