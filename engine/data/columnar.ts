import { ColumnBuilder, type ColumnData } from './column-builder';
import type { DecimalMark } from './numbers';
import type { Table } from './table';

/** An imported table: typed columns plus where each row came from. */
export interface ColumnarTable {
  /** Where the data came from, for messages ("iris.csv"). */
  source: string;
  columns: ColumnData[];
  rows: number;
  /** 1-based line in the file where each row starts. */
  lines: Uint32Array;
}

export function findColumn(table: ColumnarTable, name: string): ColumnData | undefined {
  return table.columns.find((c) => c.name === name) ?? table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** Where a row came from, for messages: "line 17". */
export function lineOf(table: ColumnarTable, row: number): string {
  return `line ${table.lines[row] ?? row + 2}`;
}

/** Builds typed columns from text cells (small tables, tests, and data that did not come from a file). */
export function columnarFromTable(table: Table, markers: ReadonlySet<string>, decimal: DecimalMark = '.'): ColumnarTable {
  const columns = table.columns.map((name, c) => {
    const builder = new ColumnBuilder(name, markers, decimal, Math.max(1, table.rows));
    for (const cell of table.cells[c]!) builder.push(cell);
    return builder.finish();
  });
  return { source: table.source, columns, rows: table.rows, lines: Uint32Array.from(table.lines) };
}
