import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import Papa from 'papaparse';
import { ColumnBuilder } from '../../../engine/data/column-builder';
import type { ColumnarTable } from '../../../engine/data/columnar';
import { DEFAULT_MISSING_MARKERS } from '../../../engine/data/table';
import { DecodeStream, NotUtf8 } from './decode-stream';
import { delimiterName, newlineOf, sniffDialect, type Dialect, type DialectChoices } from './dialect';
import { chosenEncoding, detectEncoding, latin1Note, type DetectedEncoding, type TextEncoding } from './encoding';
import { ImportCancelled, InputError } from './errors';
import { describeOpenError, readFileStart } from './file-start';

export interface ImportOptions extends DialectChoices {
  encoding?: string;
  missingMarkers?: string[];
  /** Keep every row's cells as text too (to write them back out next to predictions). */
  keepText?: boolean;
}

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ImportControl {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
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
  bytes: number;
  /** SHA-256 of the file's bytes, computed while they stream past, so a run can tell later if its data changed. */
  sha256: string;
}

export const PREVIEW_ROWS = 100;
export const MAX_FIELD_CHARS = 100_000;
export const MAX_ROW_CHARS = 1_000_000;

/**
 * Streams a delimited text file into typed columns: detects encoding and dialect, checks every row,
 * and reports progress. Either the whole file is imported or an error says what is wrong and where.
 */
export async function importCsv(path: string, options: ImportOptions = {}, control: ImportControl = {}): Promise<ImportResult> {
  const source = basename(path);
  const { size, sample } = await readFileStart(path);
  if (size === 0) throw new InputError(`${source} is empty. Choose a file with a header row and data rows.`);
  const detected: DetectedEncoding = options.encoding ? chosenEncoding(options.encoding, sample, source) : detectEncoding(sample, source);
  try {
    return await importWith(path, source, size, sample, detected, options, control);
  } catch (error) {
    if (!(error instanceof NotUtf8)) throw error;
    // A person who said UTF-8 is told, not second-guessed.
    if (options.encoding) throw new InputError(`${source} is not valid UTF-8 text, though it was read as UTF-8 on request. Choose its real encoding with --encoding (latin1 for most Western European files).`);
    // Invalid UTF-8 after the sampled start: read the whole file again as Latin-1, and say so.
    return importWith(path, source, size, sample, { encoding: 'windows-1252', bom: false, note: latin1Note(source) }, options, control);
  }
}

async function importWith(
  path: string, source: string, size: number, sample: Uint8Array, detected: DetectedEncoding,
  options: ImportOptions, control: ImportControl,
): Promise<ImportResult> {
  const sampleText = new TextDecoder(detected.encoding).decode(sample, { stream: true });
  if (sampleText.trim() === '') throw new InputError(`${source} is empty: it holds only blank lines.`);
  const dialect = sniffDialect(sampleText, options);
  const markers = options.missingMarkers ?? DEFAULT_MISSING_MARKERS;
  const markerSet = new Set(markers);
  const warnings: string[] = detected.note ? [detected.note] : [];
  if (dialect.decimal === ',' && !options.decimal) warnings.push(`Numbers in ${source} use a decimal comma (1,5 means 1.5).`);
  if (dialect.comments) warnings.push('Lines starting with # are treated as comments and skipped.');
  const newline = newlineOf(dialect.lineEnding);
  const breakChar = dialect.lineEnding === 'CR' ? '\r' : '\n';

  return new Promise<ImportResult>((resolve, reject) => {
    const decode = new DecodeStream(detected.encoding);
    const file = createReadStream(path, { highWaterMark: 1 << 20 });
    // Offsets (in decoded characters) of every line break not yet passed, to turn row positions into line numbers.
    let breaks: number[] = [];
    let breakRead = 0;
    let linesPassed = 0;
    let decodedChars = 0;
    const indexBreaks = new Transform({
      objectMode: true,
      transform(chunk: string, _e, done) {
        for (let i = chunk.indexOf(breakChar); i !== -1; i = chunk.indexOf(breakChar, i + 1)) breaks.push(decodedChars + i);
        decodedChars += chunk.length;
        done(null, chunk);
      },
    });
    /** 1-based line of the character at `offset`; offsets must not go backwards. */
    const lineAt = (offset: number): number => {
      while (breakRead < breaks.length && breaks[breakRead]! < offset) {
        breakRead++;
        linesPassed++;
      }
      if (breakRead > 65536) {
        breaks = breaks.slice(breakRead);
        breakRead = 0;
      }
      return linesPassed + 1;
    };

    // Sized from the sample's line length so that a large file rarely needs its columns regrown.
    const sampleLines = Math.max(1, sampleText.split(breakChar).length - 1);
    const capacity = Math.min(50_000_000, Math.ceil((size / Math.max(1, sample.length)) * sampleLines * 1.05) + 16);
    let names: string[] | null = null;
    let expected = 0;
    let builders: ColumnBuilder[] = [];
    let lines = new Uint32Array(1024);
    let rows = 0;
    const preview: string[][] = [];
    const text: string[][] | null = options.keepText ? [] : null;
    let failure: Error | null = null;
    let lastProgress = 0;
    let parser: Papa.Parser | null = null;

    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      parser?.abort();
      file.destroy();
      // Before the parser has seen a row (cancelled at once, or the first chunk failed to decode) there is
      // no parser to abort and complete never runs, so settle here; otherwise abort() already rejected.
      control.signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = () => fail(new ImportCancelled(source));
    if (control.signal?.aborted) onAbort();
    control.signal?.addEventListener('abort', onAbort, { once: true });

    file.on('error', (error) => fail(describeOpenError(path, error)));
    decode.on('error', (error) => fail(error instanceof TypeError ? new NotUtf8() : error));
    file.pipe(decode).pipe(indexBreaks);

    Papa.parse(indexBreaks as unknown as File, {
      delimiter: dialect.delimiter,
      newline: newline as Papa.ParseConfig['newline'],
      quoteChar: '"',
      comments: dialect.comments ? '#' : false,
      // Blank lines are skipped below: papaparse's own check joins every row, a cost on large files.
      skipEmptyLines: false,
      step(result: Papa.ParseStepResult<string[]>, handle: Papa.Parser) {
        parser = handle;
        if (failure) return;
        const cells = result.data;
        if (cells.length === 1 && cells[0]!.trim() === '' && result.errors.length === 0) return;
        const end = result.meta.cursor;
        // The row ends at its line break; it starts that many breaks earlier as there are inside its quoted fields.
        let inner = 0;
        let chars = 0;
        for (let i = 0; i < cells.length; i++) {
          const cell = cells[i]!;
          chars += cell.length;
          if (cell.length > 0 && cell.indexOf(breakChar) !== -1) inner += cell.split(breakChar).length - 1;
        }
        // end − 1 is the row's own line break, or its last character when the file ends without one.
        // (At the end of a file inside an open quote, that last break belongs to the field and is already in `inner`.)
        const lastCell = cells[cells.length - 1] ?? '';
        const line = lineAt(end - 1) - inner + (lastCell.endsWith(breakChar) ? 1 : 0);
        const quoteError = result.errors.find((e) => e.code === 'MissingQuotes');
        if (quoteError) {
          fail(new InputError(`${source}, line ${line}: a quoted field opened here is never closed. Add the closing quote (") or remove the opening one.`));
          return;
        }
        if (chars > MAX_ROW_CHARS) {
          fail(new InputError(`${source}, line ${line}: the row is ${chars.toLocaleString('en-US')} characters long, over the limit of ${MAX_ROW_CHARS.toLocaleString('en-US')}. Check for a quote left open before it.`));
          return;
        }
        if (names === null) {
          const header = cells.map((c) => c.trim());
          if (dialect.header) {
            names = header;
            expected = header.length;
            builders = columnNames(names, warnings).map((n) => new ColumnBuilder(n, markerSet, dialect.decimal, capacity));
            return;
          }
          names = header.map((_, i) => `column_${i + 1}`);
          expected = header.length;
          builders = names.map((n) => new ColumnBuilder(n, markerSet, dialect.decimal, capacity));
          // Said only when detection decided it; `header: false` asked for it, and the line need not be numbers.
          if (options.header === undefined) warnings.push(`The first line of ${source} looks like data (it is all numbers), so it is read as a row and the columns are named column_1 to column_${names.length}. If it is a header, say so with --header.`);
        }
        let count = cells.length;
        // Trailing delimiters (empty fields past the header's width) are tolerated; anything else past it is not.
        while (count > expected && cells[count - 1]!.trim() === '') count--;
        if (count !== expected) {
          const found = count > expected ? count : cells.length;
          fail(new InputError(`${source}, line ${line}: found ${found} field${found === 1 ? '' : 's'} but the header has ${expected}. Check that line for a missing or extra ${delimiterName(dialect.delimiter)}, or put quotes around a field that contains one.`));
          return;
        }
        if (rows === lines.length) {
          const grown = new Uint32Array(lines.length * 2);
          grown.set(lines);
          lines = grown;
        }
        lines[rows] = line;
        const trimmed = rows < PREVIEW_ROWS || text ? new Array<string>(expected) : null;
        for (let c = 0; c < expected; c++) {
          const cell = cells[c]!.trim();
          if (cell.length > MAX_FIELD_CHARS) {
            fail(new InputError(`${source}, line ${line}, column "${builders[c]!.name}": a field of ${cell.length.toLocaleString('en-US')} characters is over the limit of ${MAX_FIELD_CHARS.toLocaleString('en-US')}. Check for a quote left open before it.`));
            return;
          }
          builders[c]!.push(cell);
          if (trimmed) trimmed[c] = cell;
        }
        if (trimmed && rows < PREVIEW_ROWS) preview.push(trimmed);
        if (trimmed && text) text.push(trimmed);
        rows++;
        if (control.onProgress && (rows & 1023) === 0) {
          const now = performance.now();
          if (now - lastProgress > 100) {
            lastProgress = now;
            control.onProgress({ bytes: decode.bytes, totalBytes: size, rows });
          }
        }
      },
      complete() {
        control.signal?.removeEventListener('abort', onAbort);
        if (failure) {
          reject(failure);
          return;
        }
        if (names === null) {
          reject(new InputError(`${source} is empty: it holds only blank${dialect.comments ? ' or comment' : ''} lines.`));
          return;
        }
        if (rows === 0) {
          reject(new InputError(`${source} has a header but no data rows. Add rows below the header.`));
          return;
        }
        let columns = builders.map((b) => b.finish());
        // Columns with neither a name nor a value come from trailing delimiters; drop them.
        const blank = columns.filter((c, i) => names![i] === '' && c.missing === rows && markerSet.has(''));
        if (blank.length > 0) columns = columns.filter((c) => !blank.includes(c));
        if (columns.length < 2) {
          reject(new InputError(`${source} has a single column. If it has several, its fields are not separated by , ; tab or |: choose the separator with --delimiter.`));
          return;
        }
        control.onProgress?.({ bytes: size, totalBytes: size, rows });
        resolve({
          table: { source, columns, rows, lines: lines.slice(0, rows) },
          dialect: { ...dialect, encoding: detected.encoding, bom: detected.bom },
          missingMarkers: markers,
          warnings,
          preview: preview.map((r) => r.filter((_, c) => !blank.some((b) => b.name === builders[c]!.name))),
          text,
          bytes: size,
          sha256: decode.hash.digest('hex'),
        });
      },
      error(error: Error) {
        fail(error);
        reject(failure);
      },
    });
  });
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
