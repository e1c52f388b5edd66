import { ACTIVATION_LABELS } from '../activations';
import { advise } from '../advice';
import type { DenseLayer } from '../dense-layer';
import type { HealthWarning } from './types';

/** A hidden layer with at least this share of its ReLU units never active on the sampled rows is mostly dead. */
export const DEAD_SHARE = 0.5;
/** A sigmoid output this close to 0 or 1 (a tanh output this close to ±1) is saturated: its slope is almost 0. */
const SATURATION_MARGIN = 0.02;
/** A layer with at least this share of its outputs saturated on the sampled rows has mostly stopped learning. */
export const SATURATED_SHARE = 0.5;
/** The error reaching a lower layer below this share of the output layer's has vanished on the way down... */
export const VANISHING_RATIO = 1e-3;
/** ...and above this many times the output layer's it has exploded. */
export const EXPLODING_RATIO = 1e3;
/**
 * A weight gradient this many times larger than the weights (root mean squares, the weights counted as at least
 * WEIGHT_FLOOR) is exploding whatever the layers above: one step of any usual learning rate throws them far.
 */
const EXPLODING_STEP = 100;
const WEIGHT_FLOOR = 0.1;
/** An output error below this has nothing left to pass down: the network fits its sample. */
const NOTHING_TO_LEARN = 1e-8;

export const percent = (share: number) => `${Math.round(share * 100)} %`;

function rms(values: ArrayLike<number>, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i]! * values[i]!;
  return count > 0 ? Math.sqrt(sum / count) : 0;
}

function layerName(index: number, layers: readonly DenseLayer[]): string {
  const layer = layers[index]!;
  return index === layers.length - 1 ? `The output layer (${ACTIVATION_LABELS[layer.act.name]})` : `Layer ${index + 1} (${ACTIVATION_LABELS[layer.act.name]})`;
}

function deadRelu(layers: readonly DenseLayer[], rows: number): HealthWarning[] {
  return layers.slice(0, -1).flatMap((layer, index) => {
    if (layer.act.name !== 'relu') return [];
    let dead = 0;
    for (let u = 0; u < layer.units; u++) {
      let active = false;
      for (let r = 0; r < rows && !active; r++) active = layer.a[r * layer.units + u]! > 0;
      if (!active) dead++;
    }
    const share = dead / layer.units;
    if (share < DEAD_SHARE) return [];
    return [{
      kind: 'dead-relu' as const,
      layer: index + 1,
      message: `${layerName(index, layers)}: ${dead} of ${layer.units} units (${percent(share)}) were never active on the sampled training rows, so they pass no gradient and no longer learn; ${advise('lowerRate')}, ${advise('leakyRelu')} or ${advise('initHe')}.`,
    }];
  });
}

function saturated(layers: readonly DenseLayer[], rows: number): HealthWarning[] {
  return layers.slice(0, -1).flatMap((layer, index) => {
    const name = layer.act.name;
    if (!squashing(layer)) return [];
    const count = rows * layer.units;
    let flat = 0;
    for (let i = 0; i < count; i++) {
      const a = layer.a[i]!;
      if (name === 'sigmoid' ? a < SATURATION_MARGIN || a > 1 - SATURATION_MARGIN : Math.abs(a) > 1 - SATURATION_MARGIN) flat++;
    }
    const share = flat / count;
    if (share < SATURATED_SHARE) return [];
    return [{
      kind: 'saturated' as const,
      layer: index + 1,
      message: `${layerName(index, layers)}: ${percent(share)} of its outputs are saturated (at the flat ends of ${ACTIVATION_LABELS[name]}), where the slope is almost 0 and learning stalls; ${advise('lowerRate')}, ${advise('initGlorot')} or ${advise('reluLayers')}.`,
    }];
  });
}

/** Sigmoid and tanh squash: each layer of them shrinks the gradient passed down, which ReLU does not. */
const squashing = (layer: DenseLayer) => layer.act.name === 'sigmoid' || layer.act.name === 'tanh';

/** The error signal (the loss's gradient with respect to each layer's pre-activation) from the output layer down. */
function gradientFlow(layers: readonly DenseLayer[], rows: number, explained: boolean): HealthWarning[] {
  const warnings: HealthWarning[] = [];
  const exploding = layers.findIndex((layer) => {
    const size = rms(layer.gradWeights, layer.gradWeights.length);
    return !Number.isFinite(size) || size > EXPLODING_STEP * Math.max(WEIGHT_FLOOR, rms(layer.weights, layer.weights.length));
  });
  const output = layers[layers.length - 1]!;
  const top = rms(output.dz, rows * output.units);
  const ratios = layers.map((layer) => rms(layer.dz, rows * layer.units) / top);
  const exploded = exploding >= 0 ? exploding : top > 0 ? ratios.findIndex((r) => !Number.isFinite(r) || r > EXPLODING_RATIO) : -1;
  if (exploded >= 0) {
    warnings.push({
      kind: 'exploding-gradients',
      layer: exploded + 1,
      message: `${layerName(exploded, layers)}: its gradients are exploding (${exploding >= 0 ? 'over a hundred times the size of its weights' : `${ratios[exploded]!.toExponential(0)} times the output layer's`}), so each update throws its weights far; ${advise('lowerRate')} or ${advise('initGlorot')}.`,
    });
  } else if (layers.length > 1 && top > NOTHING_TO_LEARN && !explained) {
    const vanished = ratios.findIndex((r) => r < VANISHING_RATIO);
    if (vanished >= 0 && vanished < layers.length - 1) {
      warnings.push({
        kind: 'vanishing-gradients',
        layer: vanished + 1,
        message: `${layerName(vanished, layers)}: the gradients reaching it are ${ratios[vanished]!.toExponential(0)} of the output layer's, so it hardly learns; ${squashing(layers[vanished]!) ? `${advise('reluLayers')}, ` : ''}${advise('initHe')} or use fewer layers.`,
      });
    }
  }
  return warnings;
}

/** What the layers' activations and gradients on the sampled rows say is wrong, after a forward and backward pass. */
export function layerWarnings(layers: readonly DenseLayer[], rows: number): HealthWarning[] {
  const stalled = [...deadRelu(layers, rows), ...saturated(layers, rows)];
  // Dead or saturated units pass no gradient down: that, not the depth, is why little reaches the layers below.
  return [...stalled, ...gradientFlow(layers, rows, stalled.length > 0)];
}
