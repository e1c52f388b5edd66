import type { ActivationName } from '../../../engine/activations';
import { INIT_LABELS, INITIALIZERS } from '../../../engine/initializers';
import { LOSS_LABELS, LOSSES } from '../../../engine/losses';
import { OPTIMIZERS } from '../../../engine/optimizers';
import { SCHEDULES } from '../../../engine/schedules';

export { defaultSettings, HIDDEN_ACTIVATIONS, MAX_HIDDEN_LAYERS, type HiddenActivation, type HiddenLayer, type TrainSettings } from '../../../common/settings';
export { outputHead, type OutputHead } from '../../../engine/output-head';

export const ACTIVATION_LABELS: Record<ActivationName, string> = {
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  relu: 'ReLU',
  leaky_relu: 'leaky ReLU',
  linear: 'linear',
  softmax: 'softmax',
};

export { INIT_LABELS, INITIALIZERS, LOSS_LABELS, LOSSES, OPTIMIZERS, SCHEDULES };

export const OPTIMIZER_LABELS: Record<(typeof OPTIMIZERS)[number], string> = {
  sgd: 'SGD',
  momentum: 'SGD with momentum',
  nesterov: 'Nesterov momentum',
  adam: 'Adam',
};

export const SCHEDULE_LABELS: Record<(typeof SCHEDULES)[number], string> = {
  constant: 'constant',
  step: 'step decay',
  cosine: 'cosine',
};

export type { TaskKind } from '../../../engine/data/task';

/** Weights and biases of a multilayer perceptron with these layer widths. */
export function parameterCount(inputs: number, widths: number[], bias: boolean): number {
  let total = 0;
  let previous = inputs;
  for (const units of widths) {
    total += previous * units + (bias ? units : 0);
    previous = units;
  }
  return total;
}
