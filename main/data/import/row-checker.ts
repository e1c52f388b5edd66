import type Papa from 'papaparse';
import { delimiterName } from './dialect';
import { InputError } from './errors';

const MAX_ROW_CHARS = 1_000_000;

/** Checks each parsed row's shape, and says what is wrong with one in the file's own terms: its name and line. */
export class RowChecker {
  constructor(
    private readonly source: string,
    private readonly delimiter: string,
  ) {}

  /** A line with nothing on it, which is skipped (papaparse's own check joins every row, a cost on large files). */
  isBlank(row: Papa.ParseStepResult<string[]>): boolean {
    const cells = row.data;
    return cells.length === 1 && cells[0]!.trim() === '' && row.errors.length === 0;
  }

  /** Refuses a row whose quoted field never closes, or one too long to be anything but a quote left open. */
  checkRow(row: Papa.ParseStepResult<string[]>, line: number): void {
    if (row.errors.some((e) => e.code === 'MissingQuotes')) {
      throw new InputError(`${this.source}, line ${line}: a quoted field opened here is never closed. Add the closing quote (") or remove the opening one.`);
    }
    const cells = row.data;
    let chars = 0;
    for (let i = 0; i < cells.length; i++) chars += cells[i]!.length;
    if (chars > MAX_ROW_CHARS) {
      throw new InputError(`${this.source}, line ${line}: the row is ${chars.toLocaleString('en-US')} characters long, over the limit of ${MAX_ROW_CHARS.toLocaleString('en-US')}. Check for a quote left open before it.`);
    }
  }

  /** Refuses a row without the header's number of fields. */
  checkWidth(cells: readonly string[], expected: number, line: number): void {
    let count = cells.length;
    // Trailing delimiters (empty fields past the header's width) are tolerated; anything else past it is not.
    while (count > expected && cells[count - 1]!.trim() === '') count--;
    if (count !== expected) {
      const found = count > expected ? count : cells.length;
      throw new InputError(`${this.source}, line ${line}: found ${found} field${found === 1 ? '' : 's'} but the header has ${expected}. Check that line for a missing or extra ${delimiterName(this.delimiter)}, or put quotes around a field that contains one.`);
    }
  }
}
