import { InvalidArgumentError } from 'commander';
import { TASK_OVERRIDES, type TaskOverride } from '../../engine/data/task';
import { COLUMN_TYPE_CHOICES, type ColumnTypes } from '../../engine/data/column-types';
import { INITIALIZERS, isInitName, type InitName } from '../../engine/initializers';
import { LOSSES, isLossName, type LossName } from '../../engine/losses';
import { OPTIMIZERS, isOptimizerName, type OptimizerName } from '../../engine/optimizers';
import { SCHEDULES, isScheduleName, type ScheduleName } from '../../engine/schedules';
import { describeRule, keepsRule, RULES, type NumberRule } from '../../common/rules';
import { CLASS_WEIGHTINGS, HIDDEN_ACTIVATIONS, KERNEL_SETS, MAX_HIDDEN_LAYERS, MISSING_POLICIES, type HiddenActivation } from '../../common/settings';

/** Option parsers for commander: each either returns a checked value or says what a valid one looks like. */

/** A number that keeps one of the rules every process checks (common/rules.ts). */
export function ruled(rule: NumberRule) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !keepsRule(rule, value)) throw new InvalidArgumentError(`expected ${describeRule(rule)}, got "${text}".`);
    return value;
  };
}

/** A whole number of at least `min`, for options whose range no setting rule covers (benchmark sizes). */
export function wholeNumber(min: number) {
  return ruled({ min, max: Number.MAX_SAFE_INTEGER, integer: true, step: 1 });
}

/** Any number above 0 (benchmark seconds). */
export const positiveNumber = ruled({ min: 0, max: Infinity, aboveMin: true, step: 1 });

/** Patience in epochs, or 0 for no early stopping. */
export function patienceOrZero(text: string): number {
  if (text.trim() === '0') return 0;
  const value = Number(text);
  if (text.trim() === '' || !keepsRule(RULES.patience, value)) {
    throw new InvalidArgumentError(`expected 0 (never stop early) or ${describeRule(RULES.patience)}, got "${text}".`);
  }
  return value;
}

export function layerSizes(text: string): number[] {
  if (text.trim() === '' || text.trim() === 'none') return [];
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) {
    throw new InvalidArgumentError(`expected neuron counts separated by commas, such as 16,8 (or "none" for no hidden layer), got "${text}".`);
  }
  const sizes = parts.map(Number);
  const tooWide = sizes.find((units) => !keepsRule(RULES.units, units));
  if (tooWide !== undefined) throw new InvalidArgumentError(`expected each layer to have ${describeRule(RULES.units)} neurons, got ${tooWide}.`);
  if (sizes.length > MAX_HIDDEN_LAYERS) throw new InvalidArgumentError(`expected at most ${MAX_HIDDEN_LAYERS} hidden layers, got ${sizes.length}.`);
  return sizes;
}

export function batchSize(text: string): number | 'full' {
  if (text === 'full') return 'full';
  const value = Number(text);
  if (!/^\d+$/.test(text) || !keepsRule(RULES.batch, value)) throw new InvalidArgumentError(`expected ${describeRule(RULES.batch)} rows, or "full", got "${text}".`);
  return value;
}

export function columnList(text: string): string[] {
  return text.split(',').map((c) => c.trim()).filter((c) => c !== '');
}

/** "sold=date,store=category": each column with the type to read it as. */
export function columnTypes(text: string, previous: ColumnTypes = {}): ColumnTypes {
  const types: ColumnTypes = { ...previous };
  for (const item of columnList(text)) {
    const at = item.lastIndexOf('=');
    const column = item.slice(0, at).trim();
    const type = item.slice(at + 1).trim();
    if (at <= 0 || column === '') throw new InvalidArgumentError(`expected COLUMN=TYPE, such as "sold=date", got "${item}".`);
    if (!isOneOf(COLUMN_TYPE_CHOICES)(type)) throw new InvalidArgumentError(`expected the type of "${column}" to be one of ${COLUMN_TYPE_CHOICES.join(', ')}, got "${type}".`);
    types[column] = type;
  }
  return types;
}

function choice<T extends string>(names: readonly T[], is: (v: string) => v is T, extra: string[] = []) {
  return (text: string): T => {
    if (is(text) || extra.includes(text)) return text as T;
    throw new InvalidArgumentError(`expected one of ${[...extra, ...names].join(', ')}, got "${text}".`);
  };
}

const isOneOf = <T extends string>(names: readonly T[]) => (v: string): v is T => (names as readonly string[]).includes(v);

export const activationName = choice<HiddenActivation>(HIDDEN_ACTIVATIONS, isOneOf(HIDDEN_ACTIVATIONS));
export const lossChoice = choice<LossName | 'auto'>(LOSSES, (v): v is LossName | 'auto' => v === 'auto' || isLossName(v), ['auto']);
export const initChoice = choice<InitName | 'auto'>(INITIALIZERS, (v): v is InitName | 'auto' => v === 'auto' || isInitName(v), ['auto']);
export const optimizerName = choice<OptimizerName>(OPTIMIZERS, isOptimizerName);
export const scheduleName = choice<ScheduleName>(SCHEDULES, isScheduleName);
export const taskChoice = choice<TaskOverride>(TASK_OVERRIDES, isOneOf(TASK_OVERRIDES));
export const missingPolicy = choice<(typeof MISSING_POLICIES)[number]>(MISSING_POLICIES, isOneOf(MISSING_POLICIES));
export const classWeighting = choice<(typeof CLASS_WEIGHTINGS)[number]>(CLASS_WEIGHTINGS, isOneOf(CLASS_WEIGHTINGS));
export const kernelSet = choice<(typeof KERNEL_SETS)[number]>(KERNEL_SETS, isOneOf(KERNEL_SETS));
