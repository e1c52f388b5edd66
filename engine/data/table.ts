/**
 * A parsed CSV as text cells, column by column. Typing, roles and encoding work on this shape,
 * whatever reader produced it.
 */
export interface Table {
  /** Where the data came from, for messages ("iris.csv"). */
  source: string;
  columns: string[];
  /** cells[c][r]: the text of row r in column c, trimmed. */
  cells: string[][];
  rows: number;
  /** 1-based line in the file where each data row starts, for messages. */
  lines: number[];
}

/** Cell texts that mean "no value" unless the user says otherwise. */
export const DEFAULT_MISSING_MARKERS = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?', '.', '-', '#N/A'];

export function columnIndex(table: Table, name: string): number {
  const index = table.columns.indexOf(name);
  if (index >= 0) return index;
  const folded = table.columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
  if (folded >= 0) return folded;
  throw new Error(`${table.source} has no column "${name}". Its columns are: ${table.columns.map((c) => `"${c}"`).join(', ')}.`);
}
