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
