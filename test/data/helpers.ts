import { fileURLToPath } from 'node:url';
import type { DatasetOptions } from '../../engine/data/dataset';
import type { Table } from '../../engine/data/table';
import { readCsv } from '../../main/data/read-csv';

/** A table built straight from rows, so engine tests do not depend on the CSV reader. */
export function tableOf(columns: string[], rows: string[][], source = 'test.csv'): Table {
  return {
    source,
    columns,
    cells: columns.map((_, c) => rows.map((r) => r[c]!)),
    rows: rows.length,
    lines: rows.map((_, i) => i + 2),
  };
}

/** One column as a table, for typing a single column. */
export function columnTable(name: string, cells: string[]): Table {
  return tableOf([name], cells.map((c) => [c]));
}

export function datasetPath(name: string): string {
  return fileURLToPath(new URL(`../../datasets/${name}`, import.meta.url));
}

export function readDataset(name: string): Promise<Table> {
  return readCsv(datasetPath(name));
}

export const BASE_OPTIONS: DatasetOptions = {
  missingPolicy: 'drop',
  val: 0.2,
  test: 0.2,
  seed: 1,
  standardize: true,
  keepConstant: false,
};
