import { resolve } from 'node:path';
import { prepareDataset, type PreparedDataset } from '../../engine/data/dataset';
import type { Split } from '../../engine/metrics';
import { importCsv, type ImportResult } from '../data/import/import-csv';
import type { TrainRequest } from '../../common/settings';
import { datasetOptions } from './plan';

/** A run's data as its request reads it: the training file, the separate test file if any, and the splits. */
export interface RunData {
  imported: ImportResult;
  testImported: ImportResult | null;
  data: PreparedDataset;
}

/**
 * Reads and prepares the data exactly as the request says: the same request always gives the same
 * splits, so training, resuming, evaluating and exporting all see the same rows.
 */
export async function readRunData(request: TrainRequest, keepText = false): Promise<RunData> {
  const importOptions = { ...request.import, ...(keepText ? { keepText } : {}) };
  const imported = await importCsv(resolve(request.file), importOptions);
  const options = datasetOptions(request);
  options.missingMarkers = imported.missingMarkers;
  options.decimal = imported.dialect.decimal;
  const testImported = request.testFile ? await importCsv(resolve(request.testFile), importOptions) : null;
  if (testImported) options.testTable = testImported.table;
  return { imported, testImported, data: prepareDataset(imported.table, options) };
}

export type HeldBackName = 'test' | 'validation' | 'training';

/** The rows a run did not train on: its test rows, else its validation rows, else (none held back) its training rows. */
export function heldBackSplit(run: RunData): { name: HeldBackName; split: Split; source: ImportResult } {
  const { data } = run;
  if (data.test && data.test.rows > 0) return { name: 'test', split: data.test, source: run.testImported ?? run.imported };
  if (data.val.rows > 0) return { name: 'validation', split: data.val, source: run.imported };
  return { name: 'training', split: data.train, source: run.imported };
}
