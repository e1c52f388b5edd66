import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitRows } from '../../engine/data/split';
import { DEFAULT_MISSING_MARKERS } from '../../engine/data/table';
import type { QualityTask } from './quality-datasets';

/** The test fraction of every quality split (scikit-learn's train_test_split default). */
export const QUALITY_TEST_FRACTION = 0.25;

export interface WrittenSplit {
  train: string;
  test: string;
  trainRows: number;
  testRows: number;
  /** Rows left out of both files because their target is missing. */
  unlabelled: number;
}

/** A plain comma-separated file's lines: its header, its rows, and each row's target cell (null where missing). */
function readPlainCsv(csv: string, target: string): { header: string; body: string[]; labels: (string | null)[] } {
  const lines = readFileSync(csv, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.some((line) => line.includes('"'))) {
    throw new Error(`${csv} has quoted fields; the quality bench splits plain comma-separated files only.`);
  }
  const header = lines[0]!;
  const column = header.split(',').indexOf(target);
  if (column < 0) throw new Error(`${csv} has no column "${target}".`);
  const body = lines.slice(1);
  const labels = body.map((line) => {
    const cell = line.split(',')[column]?.trim() ?? '';
    return DEFAULT_MISSING_MARKERS.includes(cell) ? null : cell;
  });
  return { header, body, labels };
}

/**
 * One seeded train/test split of a CSV file into `dir`/train.csv and `dir`/test.csv, stratified by class for
 * classification, the lines copied byte for byte so both peers read exactly the same rows. Rows without a
 * target value are left out of both: neither peer can learn or score them.
 */
export function writeSplit(csv: string, target: string, task: QualityTask, seed: number, dir: string): WrittenSplit {
  const { header, body, labels } = readPlainCsv(csv, target);
  const labelled = body.map((_, i) => i).filter((i) => labels[i] !== null);
  const parts = splitRows(labelled, task === 'classification' ? labels : null, { val: 0, test: QUALITY_TEST_FRACTION }, seed);
  const write = (name: string, rows: number[]): string => {
    const path = join(dir, name);
    writeFileSync(path, `${[header, ...rows.map((i) => body[i]!)].join('\n')}\n`);
    return path;
  };
  return {
    train: write('train.csv', parts.train),
    test: write('test.csv', parts.test),
    trainRows: parts.train.length,
    testRows: parts.test.length,
    unlabelled: body.length - labelled.length,
  };
}

/** Rows with a target, input columns and classes of a dataset file, for the table. */
export function datasetShape(csv: string, target: string, task: QualityTask): { rows: number; features: number; classes: number | null } {
  const { header, labels } = readPlainCsv(csv, target);
  const present = labels.filter((label): label is string => label !== null);
  return { rows: present.length, features: header.split(',').length - 1, classes: task === 'classification' ? new Set(present).size : null };
}
