import { MIN_TRUSTED_ROWS } from './too-little-data';

/** A class needs a row in each of the training, validation and test rows to be learnt and judged. */
export const MIN_CLASS_ROWS = 3;

const count = (n: number): string => n.toLocaleString('en-US');

/** More inputs than training rows: a network can fit every row exactly and learn nothing that holds on new ones. */
export function widerThanRows(inputs: number, featureColumns: number, trainRows: number): string | null {
  if (trainRows < 1 || inputs <= trainRows) return null;
  const from = inputs === featureColumns ? `${count(featureColumns)} feature columns` : `${count(inputs)} inputs from ${count(featureColumns)} feature columns`;
  return `There are more inputs than training rows (${from} against ${count(trainRows)} training rows): a network can then fit every training row exactly and still predict new rows badly. Leave out the columns that matter least, or use more rows.`;
}

/**
 * Classes with too few rows to learn, or to be split into training, validation and test rows, rarest first. A table
 * too small for any score to be trusted (XOR's four rows) is told so once instead, by tooLittleData.
 */
export function rareClasses(target: string, classes: readonly (readonly [label: string, rows: number])[]): string[] {
  const total = classes.reduce((sum, [, rows]) => sum + rows, 0);
  if (total < MIN_TRUSTED_ROWS) return [];
  return classes.filter(([, rows]) => rows < MIN_CLASS_ROWS).sort((a, b) => a[1] - b[1]).map(([label, rows]) => (
    `Class "${label}" of "${target}" has only ${rows === 1 ? 'one row' : `${rows} rows`}: too few to learn it, or to give it a row among the training, validation and test rows each. Add rows of that class, or leave ${rows === 1 ? 'it' : 'them'} out of the file.`
  ));
}
