import type { Command } from 'commander';
import type { DecimalMark } from '../../engine/data/numbers';
import { parseDelimiterOption } from '../data/import/dialect';
import type { ImportOptions } from '../data/import/import-csv';

export interface ImportFlags {
  delimiter?: string;
  decimal?: DecimalMark;
  encoding?: string;
  missing?: string[];
  header?: boolean;
}

/** The CSV-reading options shared by every command that opens a data file. */
export function addImportOptions(command: Command): Command {
  return command
    .option('--delimiter <char>', 'field separator: , ; | tab (default: detected)', parseDelimiterOption)
    .option('--decimal <mark>', 'decimal mark: . or , (default: detected; a comma only in files not separated by commas)', (t: string) => {
      if (t !== '.' && t !== ',') throw new Error('expected . or ,');
      return t as DecimalMark;
    })
    .option('--encoding <name>', 'utf-8, utf-16le, utf-16be or latin1 (default: detected)')
    .option('--missing <markers>', 'cell texts that mean "missing", separated by commas (default: empty, NA, N/A, NaN, nan, null, NULL, ?, ., -, #N/A)', (t: string) => t.split(',').map((m) => m.trim()))
    .option('--header', 'the first line is a header (default: detected; a line of numbers only is read as data)')
    .option('--no-header', 'the first line is data; columns are named column_1, column_2, …');
}

export function importOptions(flags: ImportFlags): ImportOptions {
  const options: ImportOptions = {};
  if (flags.delimiter) options.delimiter = flags.delimiter;
  if (flags.decimal) options.decimal = flags.decimal;
  if (flags.encoding) options.encoding = flags.encoding;
  if (flags.missing) options.missingMarkers = flags.missing;
  if (flags.header !== undefined) options.header = flags.header;
  return options;
}
