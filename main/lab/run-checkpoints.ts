import type { RunCheckpoint, SnapshotLayer } from '../../common/lab-api';
import type { TrainRequest, TrainSettings } from '../../common/settings';
import { Network } from '../../engine/network';
import { EpochCheckpoints } from '../store/epoch-checkpoints';
import type { RunStore } from '../store/run-store';

/** The saved epochs of a run's checkpoint timeline, oldest first. */
export async function runCheckpoints(store: RunStore, run: string): Promise<RunCheckpoint[]> {
  await store.get(run);
  const epochs = await new EpochCheckpoints(store.runDir(run), run).list();
  return epochs.map((metrics) => ({ epoch: metrics.epoch, step: metrics.step, metrics }));
}

/** A saved epoch's weights, layer by layer, as the network diagram and the decision boundary read them. */
export async function checkpointSnapshot(store: RunStore, run: string, epoch: number): Promise<SnapshotLayer[]> {
  const record = await store.get(run);
  const checkpoint = await new EpochCheckpoints(store.runDir(run), run).load(epoch);
  const network = new Network(record.model);
  network.copyParametersFrom(checkpoint.parameters);
  return network.layers.map((l) => ({ inputs: l.inputs, units: l.units, activation: l.act.name, weights: l.weights.slice(), bias: l.bias ? l.bias.slice() : null }));
}

/**
 * What a fork of a run trains on: the run's own file, columns and split (a fold run's test fold too), with new
 * settings; it is a run of its own, not a fold of the parent's experiment.
 */
export async function forkRequest(store: RunStore, run: string, settings: TrainSettings): Promise<TrainRequest> {
  const { experiment: _experiment, settings: _settings, ...data } = (await store.get(run)).request;
  return { ...data, settings };
}
