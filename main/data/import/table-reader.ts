import type Papa from 'papaparse';
import type { ColumnarTable } from '../../../engine/data/columnar';
import { breakCharOf, type Dialect } from './dialect';
import { InputError } from './errors';
import { LineIndex, RowLines } from './line-index';
import { RowChecker } from './row-checker';
import type { RowReader } from './stream-rows';
import { TypedColumns, type ColumnSettings } from './typed-columns';
import { advise } from '../../../engine/advice';

export interface ReadTable {
  table: ColumnarTable;
  preview: string[][];
  text: string[][] | null;
  raw: string[][] | null;
}

/** Reads parsed rows into a table: skips blank lines, numbers and checks every row, then types its cells by column. */
export class TableReader implements RowReader {
  private readonly lineIndex: LineIndex;
  private readonly checker: RowChecker;
  private readonly rowLines = new RowLines();
  private columns: TypedColumns | null = null;

  constructor(
    private readonly dialect: Dialect,
    private readonly settings: ColumnSettings,
    private readonly warnings: string[],
  ) {
    this.lineIndex = new LineIndex(breakCharOf(dialect.lineEnding));
    this.checker = new RowChecker(settings.source, dialect.delimiter);
  }

  onText(chunk: string): void {
    this.lineIndex.add(chunk);
  }

  onRow(row: Papa.ParseStepResult<string[]>): boolean {
    if (this.checker.isBlank(row)) return false;
    const cells = row.data;
    const line = this.lineIndex.rowStart(cells, row.meta.cursor);
    this.checker.checkRow(row, line);
    let columns = this.columns;
    if (columns === null) {
      columns = this.columns = new TypedColumns(cells, this.settings, this.warnings);
      if (this.settings.header) return false;
    }
    if (!this.checker.fitsWidth(cells, columns.width, line)) return false;
    this.rowLines.push(line);
    columns.push(cells, line);
    return true;
  }

  /** The table once every row is in, or an InputError when the file holds no table worth the name. */
  finish(): ReadTable {
    const { source } = this.settings;
    const columns = this.columns;
    if (columns === null) throw new InputError(`${source} is empty: it holds only blank${this.dialect.comments ? ' or comment' : ''} lines.`);
    this.checker.checkWidths();
    const rows = columns.rows;
    if (rows === 0) throw new InputError(`${source} has a header but no data rows. Add rows below the header.`);
    const finished = columns.finish();
    if (finished.columns.length < 2) {
      throw new InputError(`${source} has a single column. If it has several, its fields are not separated by , ; tab or |: ${advise('delimiter')}.`);
    }
    return {
      table: { source, columns: finished.columns, rows, lines: this.rowLines.finish() },
      preview: finished.preview,
      text: columns.text,
      raw: columns.raw,
    };
  }
}
