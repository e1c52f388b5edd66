export { ACTIVATION_LABELS } from '../../../engine/activations';
export { INIT_LABELS, INITIALIZERS } from '../../../engine/initializers';
export { LOSS_LABELS, LOSSES } from '../../../engine/losses';
export { OPTIMIZER_LABELS, OPTIMIZERS } from '../../../engine/optimizers';
export { SCHEDULE_LABELS, SCHEDULES } from '../../../engine/schedules';
export { defaultSettings, HIDDEN_ACTIVATIONS, MAX_HIDDEN_LAYERS, type HiddenActivation, type HiddenLayer, type TrainSettings } from '../../../common/settings';
export { outputHead } from '../../../engine/output-head';

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
