import type { ActivationName } from './activations';
import type { TaskKind } from './data/task';
import { LOSS_LABELS, type LossName } from './losses';

/** The output layer and loss a task gets: what the backend builds and what the Model view shows. */
export interface OutputHead {
  units: number;
  activation: ActivationName;
  loss: LossName;
  /** Why this loss cannot train this target (the run is refused), or null. */
  error: string | null;
  /** Why this pairing trains badly, or null. */
  warning: string | null;
}

/**
 * The output layer for a task with `classes` classes (ignored for regression) and a chosen loss ('auto': the
 * usual one). One sigmoid unit for two classes (the probability of the second), one softmax unit per class
 * for more, one linear unit for a number; an odd loss is explained, one that cannot work is refused (`target` names
 * the column in those sentences).
 */
export function outputHead(task: TaskKind, classes: number, loss: LossName | 'auto', target = 'the target'): OutputHead {
  if (task === 'regression') {
    const chosen = loss === 'auto' ? 'mse' : loss;
    const error = chosen === 'bce' || chosen === 'softmax_ce'
      ? `${LOSS_LABELS[chosen]} is for classes, but ${target} is predicted as a number: choose mean squared error or sum of squares, or predict the target as classes.`
      : null;
    return { units: 1, activation: 'linear', loss: chosen, error, warning: null };
  }
  if (task === 'binary') {
    const chosen = loss === 'auto' ? 'bce' : loss;
    const error = chosen === 'softmax_ce' ? `Softmax cross-entropy needs three classes or more; ${target} has two: choose binary cross-entropy.` : null;
    const warning = chosen === 'mse' || chosen === 'sse' ? `A sigmoid output trained with ${LOSS_LABELS[chosen]} learns slowly; binary cross-entropy is the usual pairing.` : null;
    return { units: 1, activation: 'sigmoid', loss: chosen, error, warning };
  }
  const chosen = loss === 'auto' ? 'softmax_ce' : loss;
  let warning: string | null = null;
  if (chosen === 'mse' || chosen === 'sse') warning = `A softmax output trained with ${LOSS_LABELS[chosen]} learns slowly; softmax cross-entropy is the usual pairing.`;
  if (chosen === 'bce') warning = 'Binary cross-entropy on several classes trains one independent sigmoid per class; softmax cross-entropy is the usual choice.';
  return { units: classes, activation: chosen === 'bce' ? 'sigmoid' : 'softmax', loss: chosen, error: null, warning };
}
