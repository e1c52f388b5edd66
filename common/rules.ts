import { z } from 'zod';

/**
 * The range of a number a person chooses, written once: the schemas every process validates with, the
 * command line's option parsers and the form's limits all read these, so a value one accepts the others accept.
 */
export interface NumberRule {
  min: number;
  /** Infinity: any finite number from min up. */
  max: number;
  /** min itself is refused (a learning rate of 0 trains nothing). */
  aboveMin?: boolean;
  /** max itself is refused (a validation fraction of 1 leaves nothing to train on). */
  belowMax?: boolean;
  integer?: boolean;
  /** How far the form's arrows move the value. */
  step: number;
}

export const RULES = {
  units: { min: 1, max: 100_000, integer: true, step: 1 },
  learningRate: { min: 0, max: Infinity, aboveMin: true, step: 0.001 },
  momentum: { min: 0, max: 1, step: 0.05 },
  epochs: { min: 1, max: 10_000_000, integer: true, step: 1 },
  batch: { min: 1, max: 1_000_000_000, integer: true, step: 1 },
  l2: { min: 0, max: Infinity, step: 0.0001 },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true, step: 1 },
  fraction: { min: 0, max: 1, belowMax: true, step: 0.05 },
  patience: { min: 1, max: 10_000_000, integer: true, step: 1 },
  minDelta: { min: 0, max: Infinity, step: 0.0001 },
  patienceSteps: { min: 0, max: 1_000_000_000, integer: true, step: 100 },
  /** Mini-batches one step command trains. */
  steps: { min: 1, max: 1_000_000, integer: true, step: 1 },
  noise: { min: 0, max: 1, step: 0.05 },
  /** A slowed run's mini-batches a second (the Train view's Speed), so that each can be watched. */
  stepsPerSecond: { min: 1, max: 60, integer: true, step: 1 },
  /** Cross-validation folds; the data may allow fewer (every class needs a row in every fold). */
  folds: { min: 2, max: 1000, integer: true, step: 1 },
} as const satisfies Record<string, NumberRule>;

export function numberSchema(rule: NumberRule): z.ZodNumber {
  let schema = rule.integer ? z.number().int() : z.number();
  schema = rule.aboveMin ? schema.gt(rule.min) : schema.min(rule.min);
  if (Number.isFinite(rule.max)) schema = rule.belowMax ? schema.lt(rule.max) : schema.max(rule.max);
  return schema;
}

/** "a whole number from 1 to 10,000,000", "a number above 0", "a number from 0 up to (not including) 1". */
export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  const min = rule.min.toLocaleString('en-US');
  if (!Number.isFinite(rule.max)) return rule.aboveMin ? `${kind} above ${min}` : `${kind} of at least ${min}`;
  const max = rule.max.toLocaleString('en-US');
  const low = rule.aboveMin ? `above ${min}` : `from ${min}`;
  return rule.belowMax ? `${kind} ${low} up to (not including) ${max}` : `${kind} ${low} to ${max}`;
}

/** Whether a value keeps to the rule (the same test as numberSchema's). */
export function keepsRule(rule: NumberRule, value: number): boolean {
  return numberSchema(rule).safeParse(value).success;
}
