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

/**
 * A setting's name as the person sees it: the label of the control that sets it (the training form, the
 * architecture editor, the data view), so the settings diff and every other place that names a setting say it
 * the same way. Keys are the fields of the settings, the roles and the run request.
 */
export const SETTING_LABELS = Object.freeze({
  name: 'Run name',
  dataset: 'Dataset',
  testFile: 'Test file',
  target: 'Target',
  task: 'Task',
  ignore: 'Ignored columns',
  architecture: 'Architecture',
  layers: 'Architecture',
  loss: 'Loss',
  init: 'Initialiser',
  bias: 'Biases',
  kernels: 'Kernels',
  learningRate: 'Learning rate',
  epochs: 'Epochs',
  batch: 'Batch size',
  optimizer: 'Optimiser',
  momentum: 'Momentum',
  schedule: 'Schedule',
  l2: 'L2',
  seed: 'Seed',
  val: 'Validation fraction',
  test: 'Test fraction',
  earlyStop: 'Early stopping',
  /** The number in earlyStop, which has a field of its own. */
  patience: 'Patience (epochs)',
  patienceSteps: 'Patience (mini-batches)',
  minDelta: 'Minimum improvement',
  refit: 'Refit on training + validation rows',
  missingPolicy: 'Missing values',
  standardize: 'Standardise numeric features',
  classWeight: 'Class weights',
  import: 'Reading the file',
  fold: 'Cross-validation fold',
  experiment: 'Experiment',
} as const);

/** The label of a setting, or its field name for one no control sets. */
export function settingLabel(key: string): string {
  return (SETTING_LABELS as Readonly<Record<string, string>>)[key] ?? key;
}
