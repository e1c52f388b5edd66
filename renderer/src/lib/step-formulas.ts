import type { LossName } from '../../../engine/losses';
import type { OptimizerSettings } from '../../../engine/optimizers';
import type { MomentName } from '../../../engine/step-trace';

/** How each loss gives the output layer's dZ (n rows, k outputs), as engine/losses.ts computes it. */
export const OUTPUT_DZ: Record<LossName, string> = {
  sse: 'dZ = 2(A − Y) ⊙ f′(Z)',
  mse: 'dZ = 2(A − Y) / (n·k) ⊙ f′(Z)',
  bce: 'dZ = (A − Y) / (n·k)',
  softmax_ce: 'dZ = (A − Y) / n',
};

/** The update of engine/optimizers.ts, as lines of formulas with the step's own numbers; `name` is W or b. */
export function updateRule(settings: OptimizerSettings, name: 'W' | 'b', learningRate: number, t: number): string[] {
  // L2 adds λ·W to a weight's gradient, never to a bias's.
  const grad = name === 'W' && settings.l2 > 0 ? `(dW + ${settings.l2}·W)` : `d${name}`;
  const lr = `${learningRate}`;
  switch (settings.name) {
    case 'sgd':
      return [`${name} ← ${name} − ${lr}·${grad}`];
    case 'momentum':
      return [`velocity ← ${settings.momentum}·velocity + ${grad}`, `${name} ← ${name} − ${lr}·velocity`];
    case 'nesterov':
      return [`velocity ← ${settings.momentum}·velocity + ${grad}`, `${name} ← ${name} − ${lr}·(${grad} + ${settings.momentum}·velocity)`];
    case 'adam':
      return [
        `m ← ${settings.beta1}·m + (1 − ${settings.beta1})·${grad}`,
        `v ← ${settings.beta2}·v + (1 − ${settings.beta2})·${grad}²`,
        `${name} ← ${name} − ${lr}·(m / (1 − ${settings.beta1}^${t})) / (√(v / (1 − ${settings.beta2}^${t})) + ${settings.epsilon})`,
      ];
  }
}

/** What each kept state is called beside its matrix. */
export const MOMENT_LABELS: Record<MomentName, string> = {
  velocity: 'velocity',
  m: 'm (first moment)',
  v: 'v (second moment)',
};
