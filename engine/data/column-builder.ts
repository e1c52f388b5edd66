import { parseIsoDate } from './dates';
import { parseNumber, type DecimalMark } from './numbers';

/** One imported column, held as typed arrays rather than a million strings. */
export interface ColumnData {
  name: string;
  /** The parsed number of each row; NaN where the cell is missing or not a number. */
  numbers: Float64Array;
  /** Each row's dictionary code: 0 for missing, k for dictionary[k − 1]; null once the column had too many distinct values. */
  codes: Uint32Array | null;
  dictionary: string[] | null;
  missing: number;
  /** Cells present but not numbers, with the first few of them (row index and text) for messages. */
  nonNumeric: number;
  nonNumericExamples: { row: number; value: string }[];
  /** Distinct present values, exact up to DICTIONARY_LIMIT, at least that beyond it. */
  distinct: number;
  /** Total characters over present cells, for telling free text from identifiers. */
  textLength: number;
  /** Each row's ISO date as days since 1970-01-01 (NaN where missing or not a date); null when no cell is a date. */
  dates: Float64Array | null;
  /** Cells present but not ISO dates, and the first of them (row index and text), for messages. */
  nonDate: number;
  firstNonDate: { row: number; value: string } | null;
}

/** Distinct values kept in a column's dictionary; beyond this the column is an identifier, free text or a number. */
export const DICTIONARY_LIMIT = 5000;
const EXAMPLES = 5;

/** Accumulates one column cell by cell, growing its arrays by doubling. */
export class ColumnBuilder {
  private numbers: Float64Array;
  private codes: Uint32Array | null;
  private dictionary: Map<string, number> | null = new Map();
  private rows = 0;
  private missing = 0;
  private nonNumeric = 0;
  private readonly nonNumericExamples: { row: number; value: string }[] = [];
  private distinctBeyondLimit = 0;
  private textLength = 0;
  // Allocated at the first date cell, so a column with none costs nothing.
  private dates: Float64Array | null = null;
  private nonDate = 0;
  private firstNonDate: { row: number; value: string } | null = null;

  constructor(
    readonly name: string,
    private readonly markers: ReadonlySet<string>,
    private readonly decimal: DecimalMark = '.',
    capacity = 1024,
  ) {
    this.numbers = new Float64Array(capacity);
    this.codes = new Uint32Array(capacity);
  }

  push(cell: string): void {
    const row = this.rows++;
    if (row === this.numbers.length) this.grow();
    if (this.markers.has(cell)) {
      this.missing++;
      this.numbers[row] = Number.NaN;
      if (this.codes) this.codes[row] = 0;
      if (this.dates) this.dates[row] = Number.NaN;
      return;
    }
    this.textLength += cell.length;
    const value = parseNumber(cell, this.decimal);
    if (value === null) {
      this.numbers[row] = Number.NaN;
      if (this.nonNumeric++ < EXAMPLES) this.nonNumericExamples.push({ row, value: cell });
    } else {
      this.numbers[row] = value;
    }
    this.pushDate(row, value === null ? parseIsoDate(cell) : null, cell);
    if (this.dictionary && this.codes) {
      let code = this.dictionary.get(cell);
      if (code === undefined) {
        if (this.dictionary.size >= DICTIONARY_LIMIT) {
          // Too many distinct values to be categories: keep the numbers, drop the dictionary.
          this.distinctBeyondLimit = DICTIONARY_LIMIT + 1;
          this.dictionary = null;
          this.codes = null;
          return;
        }
        code = this.dictionary.size + 1;
        this.dictionary.set(cell, code);
      }
      this.codes[row] = code;
    }
  }

  get length(): number {
    return this.rows;
  }

  finish(): ColumnData {
    const dictionary = this.dictionary ? [...this.dictionary.keys()] : null;
    return {
      name: this.name,
      numbers: this.numbers.slice(0, this.rows),
      codes: this.codes ? this.codes.slice(0, this.rows) : null,
      dictionary,
      missing: this.missing,
      nonNumeric: this.nonNumeric,
      nonNumericExamples: this.nonNumericExamples,
      distinct: dictionary ? dictionary.length : this.distinctBeyondLimit,
      textLength: this.textLength,
      dates: this.dates ? this.dates.slice(0, this.rows) : null,
      nonDate: this.nonDate,
      firstNonDate: this.firstNonDate,
    };
  }

  private pushDate(row: number, days: number | null, cell: string): void {
    if (days === null) {
      if (this.nonDate++ === 0) this.firstNonDate = { row, value: cell };
      if (this.dates) this.dates[row] = Number.NaN;
      return;
    }
    if (!this.dates) this.dates = new Float64Array(this.numbers.length).fill(Number.NaN);
    this.dates[row] = days;
  }

  private grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
    if (this.dates) {
      const dates = new Float64Array(numbers.length).fill(Number.NaN);
      dates.set(this.dates);
      this.dates = dates;
    }
    if (this.codes) {
      const codes = new Uint32Array(this.codes.length * 2);
      codes.set(this.codes);
      this.codes = codes;
    }
  }
}

/** The text of a row's cell as imported, or null when missing (text is rebuilt from the dictionary or the number). */
export function cellLabel(column: ColumnData, row: number): string | null {
  if (column.codes && column.dictionary) {
    const code = column.codes[row]!;
    return code === 0 ? null : column.dictionary[code - 1]!;
  }
  const value = column.numbers[row]!;
  return Number.isNaN(value) ? null : String(value);
}
