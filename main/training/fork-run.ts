import type { NetworkSpec } from '../../engine/network';
import type { Trainer } from '../../engine/trainer';
import type { OptimizerName } from '../../engine/optimizers';
import type { ForkSource } from '../../common/fork-source';
import { EpochCheckpoints } from '../store/epoch-checkpoints';
import type { RunStore } from '../store/run-store';

const layersOf = (spec: NetworkSpec) => [String(spec.inputs), ...spec.layers.map((l) => `${l.units} ${l.activation}`)].join(' → ');

/**
 * Puts a saved epoch's weights into a new run's trainer before its first step, and its optimizer state when the
 * new run uses the same optimizer (another optimizer's moments mean nothing to it). Refuses a network of other
 * layers, which those weights do not fit. Answers the notes the new run keeps among its warnings.
 */
export async function startFromCheckpoint(store: RunStore, source: ForkSource, trainer: Trainer, optimizer: OptimizerName): Promise<string[]> {
  const parent = await store.get(source.run);
  const checkpoint = await new EpochCheckpoints(store.runDir(source.run), source.run).load(source.epoch);
  const spec = trainer.network.spec;
  if (layersOf(spec) !== layersOf(parent.model) || spec.bias !== parent.model.bias || checkpoint.parameters.length !== trainer.network.parameterCount) {
    throw new Error(
      `The network in the form (${layersOf(spec)}${spec.bias ? '' : ', no biases'}) differs from the one of run "${parent.name}" (${layersOf(parent.model)}${parent.model.bias ? '' : ', no biases'}); a fork keeps the layers of the run it starts from.`,
    );
  }
  const state = trainer.exportState();
  const sameOptimizer = checkpoint.optimizerName === optimizer;
  // The weights to return to (after a divergence, or for early stopping) are the forked ones, not fresh ones.
  trainer.importState({
    ...state,
    parameters: checkpoint.parameters,
    lastGood: checkpoint.parameters,
    best: checkpoint.parameters,
    optimizer: sameOptimizer ? checkpoint.optimizer : state.optimizer,
  }, []);
  const from = `Forked from run "${parent.name}" at epoch ${source.epoch}`;
  return [sameOptimizer ? `${from}, with its weights and optimizer state.` : `${from}, with its weights; the optimizer differs from that run's, so it starts afresh.`];
}
