import { advise } from '../advice';

/**
 * Below this many training rows a network's scores are not to be trusted: a few rows are fitted by almost any
 * network, and one row more or less changes every score.
 */
export const MIN_TRUSTED_ROWS = 10;

const rowsWord = (n: number): string => `${n} row${n === 1 ? '' : 's'}`;

/**
 * What a run must say plainly instead of a quiet "finished" when its data cannot support its scores: too few rows
 * to train on, or none held out to judge it; empty when neither. `tested` counts the test rows (a test file's too).
 */
export function tooLittleData(train: number, val: number, tested: number): string {
  const judged = val + tested;
  const few = train < MIN_TRUSTED_ROWS;
  if (few && judged === 0) {
    return `This run trained on only ${rowsWord(train)} and was judged on none (no validation or test rows): its scores say how well it fits those rows, not how it does on new ones.`;
  }
  if (few) return `This run trained on only ${rowsWord(train)}, fewer than ${MIN_TRUSTED_ROWS}: too few for its scores to be trusted; use more data if there is any.`;
  if (judged === 0) {
    return `This run was judged on no rows (no validation or test rows): its scores say how well it fits the ${rowsWord(train)} it trained on, not how it does on new ones; ${advise('keepHeldOut')} to judge it.`;
  }
  return '';
}
