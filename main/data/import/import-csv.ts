import { basename } from 'node:path';
import { TextDecoder } from 'node:util';
import type { ColumnarTable } from '../../../engine/data/columnar';
import { DEFAULT_MISSING_MARKERS } from '../../../engine/data/table';
import { NotUtf8 } from './decode-stream';
import { breakCharOf, sniffDialect, type Dialect, type DialectChoices } from './dialect';
import { chosenEncoding, detectEncoding, latin1Note, type DetectedEncoding, type TextEncoding } from './encoding';
import { advise } from '../../../engine/advice';
import { InputError } from './errors';
import { readFileStart, type FileStart } from './file-start';
import { streamRows, type ImportControl } from './stream-rows';
import { TableReader } from './table-reader';

export type { ImportControl, ImportProgress } from './stream-rows';
export { MAX_FIELD_CHARS } from './typed-columns';

export interface ImportOptions extends DialectChoices {
  encoding?: string;
  missingMarkers?: string[];
  /** Keep every row's cells as text too (to write them back out next to predictions). */
  keepText?: boolean;
}

export interface ImportedDialect extends Dialect {
  encoding: TextEncoding;
  bom: boolean;
}

export interface ImportResult {
  table: ColumnarTable;
  dialect: ImportedDialect;
  missingMarkers: string[];
  warnings: string[];
  /** Up to PREVIEW_ROWS data rows as trimmed text, for previews. */
  preview: string[][];
  /** Every row's cells as text, when asked for with keepText. */
  text: string[][] | null;
  /** The same rows' cells as the file has them, spaces and all, when asked for with keepText: what the app shows. */
  raw: string[][] | null;
  bytes: number;
  /** SHA-256 of the file's bytes, computed while they stream past, so a run can tell later if its data changed. */
  sha256: string;
}

/** Columns start with room for this many rows more than the sample suggests, and at most this many rows in all. */
const CAPACITY_MARGIN = 1.05;
const MAX_CAPACITY = 50_000_000;

/**
 * Streams a delimited text file into typed columns: detects encoding and dialect, checks every row,
 * and reports progress. Either the whole file is imported or an error says what is wrong and where.
 */
export async function importCsv(path: string, options: ImportOptions = {}, control: ImportControl = {}): Promise<ImportResult> {
  const source = basename(path);
  const start = await readFileStart(path);
  if (start.size === 0) throw new InputError(`${source} is empty. Choose a file with a header row and data rows.`);
  const detected: DetectedEncoding = options.encoding ? chosenEncoding(options.encoding, start.sample, source) : detectEncoding(start.sample, source);
  try {
    return await importWith(path, source, start, detected, options, control);
  } catch (error) {
    if (!(error instanceof NotUtf8)) throw error;
    // A person who said UTF-8 is told, not second-guessed.
    if (options.encoding) throw new InputError(`${source} is not valid UTF-8 text, though it was read as UTF-8 on request. ${advise('realEncoding', '', true)} (latin1 for most Western European files).`);
    // Invalid UTF-8 after the sampled start: read the whole file again as Latin-1, and say so.
    return importWith(path, source, start, { encoding: 'windows-1252', bom: false, note: latin1Note(source) }, options, control);
  }
}

async function importWith(
  path: string, source: string, { size, sample }: FileStart, detected: DetectedEncoding,
  options: ImportOptions, control: ImportControl,
): Promise<ImportResult> {
  const sampleText = new TextDecoder(detected.encoding).decode(sample, { stream: true });
  if (sampleText.trim() === '') throw new InputError(`${source} is empty: it holds only blank lines.`);
  const dialect = sniffDialect(sampleText, options);
  const markers = options.missingMarkers ?? DEFAULT_MISSING_MARKERS;
  const warnings: string[] = detected.note ? [detected.note] : [];
  if (dialect.decimal === ',' && !options.decimal) warnings.push(`Numbers in ${source} use a decimal comma (1,5 means 1.5).`);
  if (dialect.comments) warnings.push('Lines starting with # are treated as comments and skipped.');

  const reader = new TableReader(dialect, {
    source,
    header: dialect.header,
    headerChosen: options.header !== undefined,
    decimal: dialect.decimal,
    missingMarkers: new Set(markers),
    capacity: expectedRows(sampleText, sample.length, size, dialect),
    keepText: options.keepText ?? false,
  }, warnings);
  const sha256 = await streamRows({ path, source, size, encoding: detected.encoding, dialect }, reader, control);
  const { table, preview, text, raw } = reader.finish();
  control.onProgress?.({ bytes: size, totalBytes: size, rows: table.rows });
  return {
    table,
    dialect: { ...dialect, encoding: detected.encoding, bom: detected.bom },
    missingMarkers: markers,
    warnings,
    preview,
    text,
    raw,
    bytes: size,
    sha256,
  };
}

/** Rows to make room for, from the sample's line length, so that a large file rarely needs its columns regrown. */
function expectedRows(sampleText: string, sampleBytes: number, size: number, dialect: Dialect): number {
  const sampleLines = Math.max(1, sampleText.split(breakCharOf(dialect.lineEnding)).length - 1);
  return Math.min(MAX_CAPACITY, Math.ceil((size / Math.max(1, sampleBytes)) * sampleLines * CAPACITY_MARGIN) + 16);
}
