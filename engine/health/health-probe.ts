import { advise } from '../advice';
import type { Split } from '../metrics';
import { Network } from '../network';
import { allocate, type FloatArray } from '../tensor';
import { dataWarnings, type DataFacts } from './data-warnings';
import { histogram } from './histogram';
import { layerWarnings } from './layer-warnings';
import { isOscillating, isPlateau, TREND_EPOCHS } from './loss-trend';
import type { HealthSnapshot, HealthWarning, TrainingHealth } from './types';

/** Training rows the probe runs forward and backward: a fixed, evenly spread sample, so its cost is bounded. */
export const SAMPLE_ROWS = 128;
/** Snapshots kept; past this, every other older one is dropped, so a long run still spans its whole history. */
export const KEPT_SNAPSHOTS = 32;

/**
 * Measures a training network's health: histograms of each layer's weights, activations and gradients, and
 * plain warnings with what to try. It works on a copy of the weights and a sample of the training rows, in a
 * network of its own, so measuring never touches the trainer's buffers: a measured run trains exactly as an
 * unmeasured one.
 */
export class HealthProbe {
  private readonly probe: Network;
  private readonly params: FloatArray;
  private readonly x: FloatArray;
  private readonly y: FloatArray;
  private readonly rows: number;
  private readonly fromData: HealthWarning[];
  private readonly snapshots: HealthSnapshot[] = [];

  constructor(network: Network, train: Split, facts: DataFacts) {
    const { inputs } = network.spec;
    const outputs = network.outputs;
    this.rows = Math.min(SAMPLE_ROWS, train.rows);
    this.probe = new Network(network.spec, network.precision, this.rows);
    this.params = allocate(network.precision, network.parameterCount);
    this.x = allocate(network.precision, this.rows * inputs);
    this.y = allocate(network.precision, this.rows * outputs);
    for (let i = 0; i < this.rows; i++) {
      const r = Math.floor((i * train.rows) / this.rows);
      this.x.set(train.x.subarray(r * inputs, (r + 1) * inputs), i * inputs);
      this.y.set(train.y.subarray(r * outputs, (r + 1) * outputs), i * outputs);
    }
    this.fromData = dataWarnings(train, inputs, outputs, facts);
  }

  /** The health of `network` at the end of `epoch`, given the training loss of every epoch so far; adds a snapshot. */
  measure(network: Network, epoch: number, losses: readonly number[]): TrainingHealth {
    network.copyParametersTo(this.params);
    this.probe.copyParametersFrom(this.params);
    const layers = this.probe.layers;
    const warnings: HealthWarning[] = [...this.fromData];
    if (this.rows > 0) {
      this.probe.forward(this.x, this.rows);
      this.probe.backward(this.x, this.y, this.rows);
      warnings.push(...layerWarnings(layers, this.rows));
    }
    warnings.push(...lossWarnings(losses));
    this.keep({
      epoch,
      layers: layers.map((layer) => ({
        weights: histogram(layer.weights),
        activations: histogram(layer.a, undefined, this.rows * layer.units),
        gradients: histogram(layer.gradWeights),
      })),
    });
    return {
      epoch,
      layers: layers.map((layer, i) => ({ layer: i + 1, activation: layer.act.name, units: layer.units })),
      history: [...this.snapshots],
      warnings,
    };
  }

  private keep(snapshot: HealthSnapshot): void {
    if (this.snapshots.at(-1)?.epoch === snapshot.epoch) this.snapshots.pop();
    this.snapshots.push(snapshot);
    if (this.snapshots.length <= KEPT_SNAPSHOTS) return;
    // Every other snapshot of the older half goes: the newest stay whole, the oldest still show where it began.
    const half = this.snapshots.length >> 1;
    const older = this.snapshots.splice(0, half).filter((_, i) => i % 2 === 0);
    this.snapshots.unshift(...older);
  }
}

function lossWarnings(losses: readonly number[]): HealthWarning[] {
  if (isOscillating(losses)) {
    return [{ kind: 'oscillating-loss', message: `The training loss has gone up and down over the last ${TREND_EPOCHS} epochs instead of falling: the learning rate is likely too high; ${advise('lowerRate')}.` }];
  }
  if (isPlateau(losses)) {
    return [{ kind: 'plateau', message: `The training loss has hardly changed over the last ${TREND_EPOCHS} epochs while still above 0.001: training is stuck; ${advise('higherRate')}, ${advise('adam')} or widen the hidden layers.` }];
  }
  return [];
}
