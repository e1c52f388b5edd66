import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import Papa from 'papaparse';
import { DecodeStream, NotUtf8 } from './decode-stream';
import { newlineOf, type Dialect } from './dialect';
import type { TextEncoding } from './encoding';
import { ImportCancelled } from './errors';
import { describeOpenError } from './file-start';

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ImportControl {
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

export interface StreamedFile {
  path: string;
  /** The file's name, for messages. */
  source: string;
  size: number;
  encoding: TextEncoding;
  dialect: Dialect;
}

/** What the rows are read into. */
export interface RowReader {
  /** Sees each chunk of decoded text just before the parser does. */
  onText(chunk: string): void;
  /** Takes one parsed row and says whether it was a data row; throws to stop the import. */
  onRow(row: Papa.ParseStepResult<string[]>): boolean;
}

/** Progress is said at most this often, and looked at only every 1024 data rows. */
const PROGRESS_INTERVAL_MS = 100;
const READ_CHUNK_BYTES = 1 << 20;

/**
 * Streams a file through its decoder and Papa Parse into a reader, row by row, reporting progress and stopping
 * when the signal is aborted. Rejects with NotUtf8 when a byte past the sampled start is not UTF-8, and
 * otherwise resolves with the SHA-256 of the file's bytes.
 */
export function streamRows(file: StreamedFile, reader: RowReader, control: ImportControl): Promise<string> {
  const { dialect } = file;
  return new Promise<string>((resolve, reject) => {
    const decode = new DecodeStream(file.encoding);
    const input = createReadStream(file.path, { highWaterMark: READ_CHUNK_BYTES });
    const observe = new Transform({
      objectMode: true,
      transform(chunk: string, _encoding, done) {
        reader.onText(chunk);
        done(null, chunk);
      },
    });
    let failure: Error | null = null;
    let parser: Papa.Parser | null = null;
    let rows = 0;
    let lastProgress = 0;

    const fail = (error: Error) => {
      if (failure) return;
      failure = error;
      parser?.abort();
      input.destroy();
      // Before the parser has seen a row (cancelled at once, or the first chunk failed to decode) there is
      // no parser to abort and complete never runs, so settle here; otherwise abort() already rejected.
      control.signal?.removeEventListener('abort', onAbort);
      reject(error);
    };
    const onAbort = () => fail(new ImportCancelled(file.source));
    if (control.signal?.aborted) onAbort();
    control.signal?.addEventListener('abort', onAbort, { once: true });

    input.on('error', (error) => fail(describeOpenError(file.path, error)));
    decode.on('error', (error) => fail(error instanceof TypeError ? new NotUtf8() : error));
    input.pipe(decode).pipe(observe);

    Papa.parse(observe as unknown as File, {
      delimiter: dialect.delimiter,
      newline: newlineOf(dialect.lineEnding) as Papa.ParseConfig['newline'],
      quoteChar: '"',
      comments: dialect.comments ? '#' : false,
      // Blank lines are skipped by the reader: papaparse's own check joins every row, a cost on large files.
      skipEmptyLines: false,
      step(row: Papa.ParseStepResult<string[]>, handle: Papa.Parser) {
        parser = handle;
        if (failure) return;
        let isData: boolean;
        try {
          isData = reader.onRow(row);
        } catch (error) {
          fail(error as Error);
          return;
        }
        if (!isData) return;
        rows++;
        if (control.onProgress && (rows & 1023) === 0) {
          const now = performance.now();
          if (now - lastProgress > PROGRESS_INTERVAL_MS) {
            lastProgress = now;
            control.onProgress({ bytes: decode.bytes, totalBytes: file.size, rows });
          }
        }
      },
      complete() {
        control.signal?.removeEventListener('abort', onAbort);
        if (failure) reject(failure);
        else resolve(decode.hash.digest('hex'));
      },
      error(error: Error) {
        fail(error);
        reject(failure);
      },
    });
  });
}
