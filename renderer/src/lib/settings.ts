import { ACTIVATIONS, type ActivationName } from '../../../engine/activations';
import { INIT_LABELS, INITIALIZERS } from '../../../engine/initializers';
import { LOSS_LABELS, LOSSES, type LossName } from '../../../engine/losses';
import { OPTIMIZERS } from '../../../engine/optimizers';
import { SCHEDULES } from '../../../engine/schedules';
import { TRAINING_DEFAULTS, trainingDefaults } from '../../../engine/training-defaults';
import type { TrainSettings } from '../../../common/settings';

export type { TrainSettings };

/** The defaults the command line trains with too, with one activation per hidden layer for the editor. */
export const DEFAULT_SETTINGS: TrainSettings = { ...trainingDefaults(), activations: TRAINING_DEFAULTS.layers.map(() => TRAINING_DEFAULTS.activation) };

export function defaultSettings(): TrainSettings {
  return structuredClone(DEFAULT_SETTINGS);
}

/** Activations a hidden layer may have (softmax belongs to the output layer). */
export const HIDDEN_ACTIVATIONS = ACTIVATIONS.filter((a) => a !== 'softmax') as Exclude<ActivationName, 'softmax'>[];
export type HiddenActivation = (typeof HIDDEN_ACTIVATIONS)[number];

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

export type TaskKind = 'binary' | 'multiclass' | 'regression';

/** The output layer and loss that follow from the task and the chosen loss, as main/training/plan.ts networkSpec decides. */
export interface OutputChoice {
  units: number;
  activation: ActivationName;
  loss: LossName;
  /** The pairing cannot train (the backend refuses it). */
  error: string | null;
  /** The pairing trains, but badly. */
  warning: string | null;
}

export function outputChoice(task: TaskKind | null, classes: number, loss: TrainSettings['loss']): OutputChoice {
  if (task === 'regression' || task === null) {
    const chosen = loss === 'auto' ? 'mse' : loss;
    const error = chosen === 'bce' || chosen === 'softmax_ce'
      ? `${LOSS_LABELS[chosen]} is for classes, but the target is predicted as a number. Choose mean squared error or sum of squares.`
      : null;
    return { units: 1, activation: 'linear', loss: chosen, error, warning: null };
  }
  if (task === 'binary') {
    const chosen = loss === 'auto' ? 'bce' : loss;
    const error = chosen === 'softmax_ce' ? 'Softmax cross-entropy needs three classes or more; this target has two. Choose binary cross-entropy.' : null;
    const warning = chosen === 'mse' || chosen === 'sse' ? `A sigmoid output trained with ${LOSS_LABELS[chosen]} learns slowly; binary cross-entropy is the usual pairing.` : null;
    return { units: 1, activation: 'sigmoid', loss: chosen, error, warning };
  }
  const chosen = loss === 'auto' ? 'softmax_ce' : loss;
  const activation: ActivationName = chosen === 'bce' ? 'sigmoid' : 'softmax';
  let warning: string | null = null;
  if (chosen === 'mse' || chosen === 'sse') warning = `A softmax output trained with ${LOSS_LABELS[chosen]} learns slowly; softmax cross-entropy is the usual pairing.`;
  if (chosen === 'bce') warning = 'Binary cross-entropy on several classes trains one independent sigmoid per class; softmax cross-entropy is the usual choice.';
  return { units: classes, activation, loss: chosen, error: null, warning };
}

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

/** The hidden activation of layer i (0-based), whichever way the settings say it. */
export function hiddenActivation(settings: TrainSettings, i: number): HiddenActivation {
  return (settings.activations?.[i] ?? settings.activation) as HiddenActivation;
}

/** The settings as the backend wants them: one activation per layer, and `activation` kept to the first. */
export function normalizeSettings(settings: TrainSettings): TrainSettings {
  const activations = settings.layers.map((_, i) => hiddenActivation(settings, i));
  return { ...settings, activations, activation: activations[0] ?? settings.activation };
}
