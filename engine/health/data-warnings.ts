import { advise } from '../advice';
import type { Split } from '../metrics';
import { percent } from './layer-warnings';
import type { HealthWarning } from './types';

/** An input whose root mean square is this far from 1 (either way) is not on the scale weights start at. */
const SCALE_FACTOR = 10;
/** A class with less than this share of the training rows is rare enough to be ignored by an unweighted loss. */
export const RARE_CLASS_SHARE = 0.1;

export interface DataFacts {
  /** Whether the numeric inputs are standardised: an input far from scale 1 is then deliberate. */
  inputsScaled: boolean;
  /** Whether the loss weighs the classes (class weights), so a rare class already counts. */
  classWeighted: boolean;
  classification: boolean;
  /** The network's inputs by name, for messages. */
  inputNames?: readonly string[];
  classes?: readonly string[];
}

function unscaledInputs(train: Split, inputs: number, facts: DataFacts): HealthWarning[] {
  if (facts.inputsScaled) return [];
  const sums = new Float64Array(inputs);
  for (let r = 0; r < train.rows; r++) for (let c = 0; c < inputs; c++) sums[c]! += train.x[r * inputs + c]! ** 2;
  const scales = Array.from(sums, (sum, c) => ({ c, scale: Math.sqrt(sum / train.rows) }))
    .filter(({ scale }) => scale > 0 && (scale > SCALE_FACTOR || scale < 1 / SCALE_FACTOR))
    .sort((a, b) => Math.abs(Math.log(b.scale)) - Math.abs(Math.log(a.scale)));
  if (scales.length === 0) return [];
  const named = scales.slice(0, 3).map(({ c, scale }) => `${facts.inputNames?.[c] ?? `input ${c + 1}`} (about ${Number(scale.toPrecision(2))})`);
  const more = scales.length > 3 ? ` and ${scales.length - 3} more` : '';
  return [{
    kind: 'unscaled-inputs',
    message: `The inputs are not standardised and ${scales.length === 1 ? 'one is' : `${scales.length} are`} far from scale 1: ${named.join(', ')}${more}; such inputs saturate units and make one learning rate wrong for the others, so ${advise('standardize')}.`,
  }];
}

function imbalancedTarget(train: Split, outputs: number, facts: DataFacts): HealthWarning[] {
  if (!facts.classification || facts.classWeighted || train.rows === 0) return [];
  const classes = Math.max(2, outputs);
  const counts = new Array<number>(classes).fill(0);
  for (let r = 0; r < train.rows; r++) {
    if (outputs === 1) counts[train.y[r]! > 0.5 ? 1 : 0]!++;
    else {
      let best = 0;
      for (let c = 1; c < outputs; c++) if (train.y[r * outputs + c]! > train.y[r * outputs + best]!) best = c;
      counts[best]!++;
    }
  }
  const rarest = counts.indexOf(Math.min(...counts));
  const share = counts[rarest]! / train.rows;
  if (share >= RARE_CLASS_SHARE) return [];
  const majority = Math.max(...counts) / train.rows;
  const name = facts.classes?.[rarest] ?? String(rarest);
  return [{
    kind: 'imbalanced-target',
    message: `The target is imbalanced: class “${name}” is ${percent(share)} of the training rows, so always answering the most common class already scores ${percent(majority)} and the rare class is easily ignored; ${advise('balanced')}.`,
  }];
}

/** What the training rows themselves say is wrong: measured once, since they do not change while a run trains. */
export function dataWarnings(train: Split, inputs: number, outputs: number, facts: DataFacts): HealthWarning[] {
  return [...unscaledInputs(train, inputs, facts), ...imbalancedTarget(train, outputs, facts)];
}
