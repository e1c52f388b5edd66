import type { ActivationName } from './activations';
import type { InitName } from './initializers';
import type { LossName } from './losses';
import type { OptimizerName } from './optimizers';
import type { ScheduleName } from './schedules';

/**
 * What nnlab trains with when a person does not say otherwise: the command line and the app start from
 * the same values, chosen so that `nnlab train iris.csv` just works well.
 */
export const TRAINING_DEFAULTS = {
  missingPolicy: 'drop' as 'drop' | 'impute',
  standardize: true,
  layers: [16, 8],
  activation: 'relu' as Exclude<ActivationName, 'softmax'>,
  loss: 'auto' as LossName | 'auto',
  init: 'auto' as InitName | 'auto',
  bias: true,
  optimizer: 'adam' as OptimizerName,
  momentum: 0.9,
  learningRate: 0.01,
  schedule: 'constant' as ScheduleName,
  epochs: 200,
  batch: 32 as number | 'full',
  l2: 0,
  seed: 1,
  val: 0.2,
  test: 0.2,
  earlyStop: 20 as number | null,
};

/** A fresh copy, safe to change. */
export function trainingDefaults(): typeof TRAINING_DEFAULTS {
  return { ...TRAINING_DEFAULTS, layers: [...TRAINING_DEFAULTS.layers] };
}
