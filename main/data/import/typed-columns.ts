import { ColumnBuilder, type ColumnData } from '../../../engine/data/column-builder';
import type { DecimalMark } from '../../../engine/data/numbers';
import { InputError } from './errors';
import { advise } from '../../../engine/advice';

export const MAX_FIELD_CHARS = 100_000;
const PREVIEW_ROWS = 100;

export interface ColumnSettings {
  source: string;
  header: boolean;
  /** Whether the person said if there is a header, rather than leaving it to detection. */
  headerChosen: boolean;
  decimal: DecimalMark;
  missingMarkers: ReadonlySet<string>;
  /** Rows to make room for at first. */
  capacity: number;
  /** Keep every row's cells as text too. */
  keepText: boolean;
}

export interface FinishedColumns {
  columns: ColumnData[];
  /** Up to PREVIEW_ROWS data rows as trimmed text, without the columns that were dropped. */
  preview: string[][];
}

/**
 * The table's columns, typed as the cells come in: numbers, dictionary codes and missing or non-numeric
 * counts per column (kept by ColumnBuilder), named from the header row or numbered when there is none.
 */
export class TypedColumns {
  /** Fields per row, fixed by the first row. */
  readonly width: number;
  /** Every row's trimmed cells, when kept. */
  readonly text: string[][] | null;
  /** Every row's cells as the file has them (spaces kept), when text is kept: what a person is shown. */
  readonly raw: string[][] | null;
  private readonly headerNames: string[];
  private readonly builders: ColumnBuilder[];
  private readonly preview: string[][] = [];
  private count = 0;

  /** Sets the columns up from the file's first row: its header, or else its first data row (which is not pushed here). */
  constructor(firstRow: readonly string[], private readonly settings: ColumnSettings, warnings: string[]) {
    const { source, header, missingMarkers, decimal, capacity } = settings;
    const cells = firstRow.map((c) => c.trim());
    this.width = cells.length;
    this.text = settings.keepText ? [] : null;
    this.raw = settings.keepText ? [] : null;
    if (header) {
      this.headerNames = cells;
      this.builders = columnNames(cells, warnings).map((n) => new ColumnBuilder(n, missingMarkers, decimal, capacity));
      return;
    }
    this.headerNames = cells.map((_, i) => `column_${i + 1}`);
    this.builders = this.headerNames.map((n) => new ColumnBuilder(n, missingMarkers, decimal, capacity));
    // Said only when detection decided it; `header: false` asked for it, and the line need not be numbers.
    if (!settings.headerChosen) warnings.push(`The first line of ${source} looks like data (it is all numbers), so it is read as a row and the columns are named column_1 to column_${this.width}. If it is a header, ${advise('header')}.`);
  }

  get rows(): number {
    return this.count;
  }

  /** Adds one data row of `width` cells (any past it are trailing delimiters); `line` is for the message if a field is too long. */
  push(cells: readonly string[], line: number): void {
    const { width, builders, text } = this;
    const trimmed = this.count < PREVIEW_ROWS || text ? new Array<string>(width) : null;
    for (let c = 0; c < width; c++) {
      const cell = cells[c]!.trim();
      if (cell.length > MAX_FIELD_CHARS) {
        throw new InputError(`${this.settings.source}, line ${line}, column "${builders[c]!.name}": a field of ${cell.length.toLocaleString('en-US')} characters is over the limit of ${MAX_FIELD_CHARS.toLocaleString('en-US')}. Check for a quote left open before it.`);
      }
      builders[c]!.push(cell);
      if (trimmed) trimmed[c] = cell;
    }
    if (trimmed && this.count < PREVIEW_ROWS) this.preview.push(trimmed);
    if (trimmed && text) text.push(trimmed);
    this.raw?.push(cells.length === width ? [...cells] : cells.slice(0, width));
    this.count++;
  }

  finish(): FinishedColumns {
    const { builders, headerNames } = this;
    const all = builders.map((b) => b.finish());
    // Columns with neither a name nor a value come from trailing delimiters; drop them.
    const blank = all.filter((c, i) => headerNames[i] === '' && c.missing === this.count && this.settings.missingMarkers.has(''));
    const blankNames = new Set(blank.map((c) => c.name));
    const kept = builders.map((b) => !blankNames.has(b.name));
    return {
      columns: blank.length > 0 ? all.filter((c) => !blank.includes(c)) : all,
      preview: this.preview.map((row) => row.filter((_, c) => kept[c])),
    };
  }
}

/** Names for every column: empty ones numbered, repeated ones suffixed, each change said once. */
function columnNames(header: string[], warnings: string[]): string[] {
  const seen = new Map<string, number>();
  const renamed: string[] = [];
  const names = header.map((name, i) => {
    if (name === '') return '';
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    if (count === 0) return name;
    let candidate = `${name}_${count + 1}`;
    while (header.includes(candidate)) candidate = `${candidate}_`;
    renamed.push(`"${name}" (column ${i + 1}) is renamed "${candidate}"`);
    return candidate;
  });
  if (renamed.length > 0) warnings.push(`Some columns share a name: ${renamed.join('; ')}.`);
  return names.map((n, i) => n || `column_${i + 1}`);
}
