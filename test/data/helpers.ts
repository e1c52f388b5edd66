import { fileURLToPath } from 'node:url';
import { cellLabel } from '../../engine/data/column-builder';
import { columnarFromTable, findColumn, type ColumnarTable } from '../../engine/data/columnar';
import { describeColumn, type ColumnSummary } from '../../engine/data/columns';
import type { DatasetOptions } from '../../engine/data/dataset';
import type { Table } from '../../engine/data/table';
import { importCsv, type ImportOptions } from '../../main/data/import/import-csv';

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

/** Types every column of a text table as an import does: cells through ColumnBuilder, then describeColumn. */
export function describeTable(table: Table, markers: ReadonlySet<string>): ColumnSummary[] {
  return columnarFromTable(table, markers).columns.map((c) => describeColumn(c, table.rows));
}

export function datasetPath(name: string): string {
  return fileURLToPath(new URL(`../../datasets/${name}`, import.meta.url));
}

export async function readDataset(name: string, options?: ImportOptions): Promise<ColumnarTable> {
  return (await importCsv(datasetPath(name), options)).table;
}

/** A column's cells as imported text, null where missing: what the tests compare encodings against. */
export function labelsOf(table: ColumnarTable, name: string): (string | null)[] {
  const column = findColumn(table, name);
  if (!column) throw new Error(`no column ${name}`);
  return Array.from({ length: table.rows }, (_, r) => cellLabel(column, r));
}

export const BASE_OPTIONS: DatasetOptions = {
  missingPolicy: 'drop',
  val: 0.2,
  test: 0.2,
  seed: 1,
  standardize: true,
  keepConstant: false,
};
