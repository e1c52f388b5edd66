import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Table } from '../../engine/data/table';

/** A problem with an input file, said so that a person can fix it. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
}

/** Reads a delimited text file with a header row into text cells, column by column. */
export async function readCsv(path: string): Promise<Table> {
  const source = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path} does not exist. Check the file name and folder.`);
    if (code === 'EISDIR') throw new InputError(`${path} is a folder, not a CSV file.`);
    throw new InputError(`${path} cannot be read (${code ?? (error as Error).message}).`);
  }
  return parseCsvText(text, source);
}

export function parseCsvText(text: string, source: string): Table {
  let records: { record: string[]; info: { lines: number; bytes: number } }[];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (error) {
    throw new InputError(describeParseError(error as CsvParseError, source));
  }
  if (records.length === 0) throw new InputError(`${source} is empty: it has no header row and no data.`);
  const header = records[0]!.record;
  const columns = header.map((name, i) => name || `column_${i + 1}`);
  const body = records.slice(1);
  const cells = columns.map((_, c) => body.map((r) => r.record[c]!));
  return { source, columns, cells, rows: body.length, lines: startLines(text, records.map((r) => r.info.bytes)).slice(1) };
}

/**
 * The 1-based line on which each record starts, from the byte offset where each record ends. csv-parse's own
 * `info.lines` is the line where a record ends, and it counts a CRLF inside quotes as two lines.
 */
function startLines(text: string, ends: number[]): number[] {
  const bytes = Buffer.from(text, 'utf8');
  const starts: number[] = [];
  let line = 1;
  let pos = 0;
  const step = () => {
    if (bytes[pos] === 0x0a || (bytes[pos] === 0x0d && bytes[pos + 1] !== 0x0a)) line++;
    pos++;
  };
  const trimmable = new Set([0x20, 0x09, 0x0c, 0x0a, 0x0d]);
  for (const end of ends) {
    // Blank lines and trimmed spaces before a record are skipped by the parser; the record starts after them.
    while (pos < end && trimmable.has(bytes[pos]!)) step();
    starts.push(line);
    while (pos < end) step();
  }
  return starts;
}

function describeParseError(error: CsvParseError, source: string): string {
  const line = error.lines ?? '?';
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const match = /expect (\d+), got (\d+)/.exec(error.message);
      const detail = match ? `expected ${match[1]} fields like the header, found ${match[2]}` : 'the number of fields differs from the header';
      return `${source}, line ${line}: ${detail}. Check that line for a missing or extra delimiter, or quote fields that contain one.`;
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return `${source}: a quoted field is never closed (the file ends inside quotes, reached at line ${line}). Add the closing quote.`;
    default:
      return `${source}, line ${line}: the file is not valid CSV (${error.message.replace(/^[^:]*:\s*/, '')}).`;
  }
}
