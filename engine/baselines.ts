import type { ActivationName } from './activations';
import type { MetricKind, Split } from './metrics';
import { Network, type NetworkSpec } from './network';

/** The constant model's name: the majority class of the training rows, or their mean. */
export type ConstantBaselineName = 'majority' | 'mean';

export function constantBaselineName(metric: MetricKind): ConstantBaselineName {
  return metric.kind === 'classification' ? 'majority' : 'mean';
}

/** Class frequencies of 0 or 1 have no finite logit; the constant model's probabilities stay this far inside. */
const PROBABILITY_MARGIN = 1e-7;

/**
 * The best model that ignores its inputs, as a network of the same output layer and loss as `spec`, so the one
 * metrics function judges it like any network: every weight is 0 and the biases make every output the mean of
 * the training targets. For classes that mean is the classes' frequencies, so it always predicts the majority
 * class (the first of equals) and its cross-entropy is the training rows' entropy; for a number it is their mean.
 */
export function constantNetwork(spec: NetworkSpec, train: Split): Network {
  const output = spec.layers[spec.layers.length - 1]!;
  const network = new Network({ ...spec, layers: [output], bias: true });
  const units = output.units;
  const mean = new Float64Array(units);
  for (let r = 0; r < train.rows; r++) for (let j = 0; j < units; j++) mean[j] += train.y[r * units + j]!;
  const layer = network.output;
  layer.weights.fill(0);
  for (let j = 0; j < units; j++) layer.bias![j] = preActivation(output.activation, mean[j]! / Math.max(1, train.rows));
  return network;
}

/** The pre-activation whose output is `value`: the inverse of the output layer's activation. */
function preActivation(activation: ActivationName, value: number): number {
  if (activation === 'linear') return value;
  const p = Math.min(1 - PROBABILITY_MARGIN, Math.max(PROBABILITY_MARGIN, value));
  // Softmax outputs are proportional to exp(z): log p gives back p itself, as the frequencies sum to 1.
  if (activation === 'softmax') return Math.log(p);
  if (activation === 'sigmoid') return Math.log(p / (1 - p));
  throw new Error(`A constant model cannot be made for an output layer of ${activation} units.`);
}
