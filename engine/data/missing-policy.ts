import { cellLabel, type ColumnData } from './column-builder';
import type { FeatureKind } from './column-types';
import type { AppliedMissingPolicy, MissingPolicy } from './preprocessing';
import { advise } from '../advice';

/**
 * The largest share of rows 'auto' leaves out for a missing feature. Up to it, training on complete rows only
 * costs little and keeps every value real; past it, leaving rows out changes what is learnt (a real file with a
 * few '?' columns kept 1 row of 57) more than filling in a mean or a most common category does.
 */
export const MAX_DROPPED_SHARE = 0.05;

export interface MissingChoice {
  policy: AppliedMissingPolicy;
  /** Rows (with a target) that have at least one missing feature. */
  incomplete: number;
  /** What was chosen and why, for the run's warnings; empty when the policy was asked for or nothing is missing. */
  note: string;
}

/** A feature column as the choice reads it: numbers and dates are missing as NaN (stray texts included), categories as no label. */
export interface FeatureColumn {
  kind: FeatureKind;
  column: ColumnData;
}

function isMissing(feature: FeatureColumn, row: number): boolean {
  if (feature.kind === 'date') return Number.isNaN(feature.column.dates?.[row] ?? Number.NaN);
  return feature.kind === 'numeric' ? Number.isNaN(feature.column.numbers[row]!) : cellLabel(feature.column, row) === null;
}

const percent = (share: number): string => `${Number((share * 100).toFixed(1))} %`;

/**
 * Resolves the missing-value policy from the rows that have a target, all of them and before any split, so the
 * choice (and with it the splits) is the same for a seed whatever the fractions. With no missing feature at all,
 * 'auto' fills in: training is the same either way, and a row to predict that has a gap still gets a prediction.
 */
export function chooseMissingPolicy(asked: MissingPolicy, features: readonly FeatureColumn[], rows: readonly number[]): MissingChoice {
  let incomplete = 0;
  for (const r of rows) if (features.some((f) => isMissing(f, r))) incomplete++;
  if (asked !== 'auto') return { policy: asked, incomplete, note: '' };
  if (incomplete === 0) return { policy: 'impute', incomplete, note: '' };
  const share = incomplete / rows.length;
  const have = `${incomplete} of ${rows.length} row${rows.length === 1 ? '' : 's'} ${incomplete === 1 ? 'has' : 'have'} missing feature values (${percent(share)})`;
  return share <= MAX_DROPPED_SHARE
    ? { policy: 'drop', incomplete, note: `${have}, no more than ${percent(MAX_DROPPED_SHARE)}, so ${incomplete === 1 ? 'it was' : 'they were'} left out; ${advise('missingImpute')} to fill them in instead.` }
    : { policy: 'impute', incomplete, note: `${have}, more than the ${percent(MAX_DROPPED_SHARE)} that may be left out, so ${incomplete === 1 ? 'its gaps were' : 'their gaps were'} filled in from the training rows (the mean, or the most common category); ${advise('missingDrop')} to leave them out instead.` };
}
