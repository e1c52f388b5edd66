import type Papa from 'papaparse';
import { delimiterName } from './dialect';
import { listed, counted } from '../../../engine/words';
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

  /** Rows without the header's number of fields: the first few, and how many in all. */
  private readonly misfits: { line: number; found: number }[] = [];
  private misfitCount = 0;
  private expected = 0;

  /**
   * Whether a row has the header's number of fields. One that has not is noted rather than refused at once,
   * so that the refusal (checkWidths) names the first few such lines and counts the rest.
   */
  fitsWidth(cells: readonly string[], expected: number, line: number): boolean {
    let count = cells.length;
    // Trailing delimiters (empty fields past the header's width) are tolerated; anything else past it is not.
    while (count > expected && cells[count - 1]!.trim() === '') count--;
    if (count === expected) return true;
    this.expected = expected;
    if (this.misfits.length < SHOWN_MISFITS) this.misfits.push({ line, found: count > expected ? count : cells.length });
    this.misfitCount++;
    return false;
  }

  /** Refuses the file if any row lacked the header's number of fields, naming the first few lines. */
  checkWidths(): void {
    const { misfits, expected } = this;
    if (misfits.length === 0) return;
    const how = `a missing or extra ${delimiterName(this.delimiter)}, or put quotes around a field that contains one`;
    if (this.misfitCount === 1) {
      const { line, found } = misfits[0]!;
      throw new InputError(`${this.source}, line ${line}: found ${counted(found, 'field')} but the header has ${expected}. Check that line for ${how}.`);
    }
    const founds = misfits.map((m) => m.found);
    const same = founds.every((f) => f === founds[0]);
    const fields = same ? counted(founds[0]!, 'field') : `${listed(founds.map(String))} fields`;
    const more = this.misfitCount - misfits.length;
    throw new InputError(`${this.source}: lines ${listed(misfits.map((m) => String(m.line)))} have ${fields} where the header has ${expected}${more > 0 ? ` (and ${more.toLocaleString('en-US')} more)` : ''}. Check those lines for ${how}.`);
  }
}

/** Lines named in a refusal of rows of the wrong width; the rest are counted. */
const SHOWN_MISFITS = 3;
