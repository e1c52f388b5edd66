import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportCancelled } from '../../main/data/import/errors';
import { importCsv, type ImportProgress } from '../../main/data/import/import-csv';
import { inputErrorOf, textOf } from './import-helpers';

// Files of several MB, read in 1 MiB chunks: rows, quotes and characters cross chunk boundaries, and the
// encoding is guessed from the first 64 KiB only.
const ROWS = 150_000;
/** Every 1000th row (from row 7) holds a quoted line break, so it spans two lines. */
const isMultiline = (row: number) => row % 1000 === 7;
const expectedLine = (row: number) => 2 + row + Math.floor((row + 992) / 1000);

function bigCsv(rows = ROWS): string {
  const out = ['id,note,value'];
  for (let i = 0; i < rows; i++) out.push(isMultiline(i) ? `${i},"multi\nline",${i}` : `${i},note ${i % 50},${i * 0.5}`);
  return out.join('\n') + '\n';
}

let dir: string;
let big: string;
let bigText: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nnlab-import-stream-'));
  big = join(dir, 'big.csv');
  bigText = bigCsv();
  await writeFile(big, bigText);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('importCsv on a file of several MB', () => {
  it('reads every row with the line it starts on', async () => {
    const { table } = await importCsv(big);
    expect(Buffer.byteLength(bigText)).toBeGreaterThan(3_000_000);
    expect(table.rows).toBe(ROWS);
    let wrong = 0;
    for (let r = 0; r < ROWS; r++) if (table.lines[r] !== expectedLine(r)) wrong++;
    expect(wrong).toBe(0);
    const [id, , value] = table.columns;
    expect([id!.numbers[ROWS - 1], value!.numbers[ROWS - 1]]).toEqual([ROWS - 1, (ROWS - 1) * 0.5]);
  });

  it('names the right line for a bad row after millions of characters', async () => {
    const lastLine = expectedLine(ROWS - 1);
    const ragged = join(dir, 'ragged.csv');
    await writeFile(ragged, `${bigText}1,2\n`);
    expect(await inputErrorOf(importCsv(ragged))).toMatch(new RegExp(`^ragged\\.csv, line ${lastLine + 1}: found 2 fields but the header has 3\\.`));
    const quote = join(dir, 'quote.csv');
    await writeFile(quote, `${bigText}1,"open,3\n4,5,6\n`);
    expect(await inputErrorOf(importCsv(quote))).toMatch(new RegExp(`^quote\\.csv, line ${lastLine + 1}: a quoted field opened here is never closed\\.`));
  });

  it('reports progress in bytes, rising to the file size', async () => {
    const progress: ImportProgress[] = [];
    const { table, bytes } = await importCsv(big, {}, { onProgress: (p) => progress.push({ ...p }) });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.totalBytes === bytes)).toBe(true);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.bytes).toBeGreaterThanOrEqual(progress[i - 1]!.bytes);
      expect(progress[i]!.rows).toBeGreaterThan(progress[i - 1]!.rows);
    }
    expect(progress[0]!.bytes).toBeLessThan(bytes);
    expect(progress.at(-1)).toEqual({ bytes, totalBytes: bytes, rows: table.rows });
  });

  it('stops with ImportCancelled when its signal is aborted part-way', async () => {
    const controller = new AbortController();
    let abortedAt: ImportProgress | null = null;
    const onProgress = (p: ImportProgress) => {
      if (!abortedAt && p.bytes < p.totalBytes) {
        abortedAt = { ...p };
        controller.abort();
      }
    };
    const error = await importCsv(big, {}, { onProgress, signal: controller.signal }).then(() => null, (e: unknown) => e);
    expect(abortedAt, 'no progress was reported before the end').not.toBeNull();
    expect(error).toBeInstanceOf(ImportCancelled);
    expect((error as Error).message).toBe('Reading big.csv was cancelled.');
  });

  it('stops with ImportCancelled when its signal was aborted before it started', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(importCsv(big, {}, { signal: controller.signal })).rejects.toThrow(ImportCancelled);
  });
});

describe('importCsv: encoding beyond the sampled start', () => {
  /** UTF-8 text of `rows` plain rows, then one row with a Latin-1 "é" (not valid UTF-8). */
  async function lateLatin1(name: string, rows: number): Promise<{ path: string; size: number }> {
    const head = Buffer.from(bigCsv(rows), 'utf8');
    const tail = Buffer.from(`${rows},café,1\n`, 'latin1');
    const path = join(dir, name);
    await writeFile(path, Buffer.concat([head, tail]));
    return { path, size: head.length };
  }

  const MiB = 1 << 20;
  it.each([
    // Fails to decode the first 1 MiB chunk, before the parser has seen a row.
    ['late-latin1.csv', 5_000, 64 * 1024, MiB],
    // Fails in a later chunk, while the parser is running.
    ['later-latin1.csv', 60_000, MiB, 2 * MiB],
  ])('re-reads %s as Latin-1 when a byte past 64 KiB is not UTF-8', async (name, rows, above, below) => {
    const { path, size } = await lateLatin1(name, rows);
    expect(size).toBeGreaterThan(above);
    expect(size).toBeLessThan(below);
    const { table, dialect, warnings } = await importCsv(path);
    expect(dialect.encoding).toBe('windows-1252');
    expect(warnings).toEqual([
      `${name} is not UTF-8, so it was read as Latin-1 (Windows-1252). If accented letters look wrong, save the file as UTF-8 or choose its encoding with --encoding.`,
    ]);
    // The whole file is read again, not continued: every row once, the last one decoded right.
    expect(table.rows).toBe(rows + 1);
    expect(textOf(table).note.at(-1)).toBe('café');
    expect(table.lines[rows]).toBe(expectedLine(rows - 1) + 1);
  });

  it('does not mistake a character cut by the 64 KiB sample for bad UTF-8', async () => {
    // "é" is two bytes; put its first byte last in the sample.
    const prefix = 'a,b\n';
    const filler = 'x'.repeat(64 * 1024 - prefix.length - 3);
    const path = join(dir, 'cut.csv');
    await writeFile(path, `${prefix}1,${filler}é\n2,é\n`);
    const { table, dialect, warnings } = await importCsv(path);
    expect(dialect.encoding).toBe('utf-8');
    expect(warnings).toEqual([]);
    expect(textOf(table).b).toEqual([`${filler}é`, 'é']);
  });
});
