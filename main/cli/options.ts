import { InvalidArgumentError } from 'commander';
import { ACTIVATIONS, isActivationName, type ActivationName } from '../../engine/activations';
import { INITIALIZERS, isInitName, type InitName } from '../../engine/initializers';
import { LOSSES, isLossName, type LossName } from '../../engine/losses';
import { OPTIMIZERS, isOptimizerName, type OptimizerName } from '../../engine/optimizers';
import { SCHEDULES, isScheduleName, type ScheduleName } from '../../engine/schedules';

/** Option parsers for commander: each either returns a checked value or says what a valid one looks like. */
export function wholeNumber(min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^[+-]?\d+$/.test(text.trim()) || value < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}, got "${text}".`);
    return value;
  };
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`expected a number above 0, got "${text}".`);
  return value;
}

export function nonNegativeNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`expected a number of at least 0, got "${text}".`);
  return value;
}

export function fraction(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value < 1)) throw new InvalidArgumentError(`expected a fraction from 0 up to (not including) 1, got "${text}".`);
  return value;
}

export function layerSizes(text: string): number[] {
  if (text.trim() === '' || text.trim() === 'none') return [];
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) {
    throw new InvalidArgumentError(`expected neuron counts separated by commas, such as 16,8 (or "none" for no hidden layer), got "${text}".`);
  }
  return parts.map(Number);
}

export function batchSize(text: string): number | 'full' {
  if (text === 'full') return 'full';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new InvalidArgumentError(`expected a whole number of rows of at least 1, or "full", got "${text}".`);
  return value;
}

export function columnList(text: string): string[] {
  return text.split(',').map((c) => c.trim()).filter((c) => c !== '');
}

function choice<T extends string>(names: readonly T[], is: (v: string) => v is T, extra: string[] = []) {
  return (text: string): T => {
    if (is(text) || extra.includes(text)) return text as T;
    throw new InvalidArgumentError(`expected one of ${[...extra, ...names].join(', ')}, got "${text}".`);
  };
}

export const activationName = choice<ActivationName>(ACTIVATIONS.filter((a) => a !== 'softmax'), (v): v is ActivationName => isActivationName(v) && v !== 'softmax');
export const lossChoice = choice<LossName | 'auto'>(LOSSES, (v): v is LossName | 'auto' => v === 'auto' || isLossName(v), ['auto']);
export const initChoice = choice<InitName | 'auto'>(INITIALIZERS, (v): v is InitName | 'auto' => v === 'auto' || isInitName(v), ['auto']);
export const optimizerName = choice<OptimizerName>(OPTIMIZERS, isOptimizerName);
export const scheduleName = choice<ScheduleName>(SCHEDULES, isScheduleName);
export const taskChoice = choice<'classification' | 'regression'>(['classification', 'regression'], (v): v is 'classification' | 'regression' => v === 'classification' || v === 'regression');
export const missingPolicy = choice<'drop' | 'impute'>(['drop', 'impute'], (v): v is 'drop' | 'impute' => v === 'drop' || v === 'impute');
