import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { fileURLToPath } from 'node:url';
import { importCsv } from '../data/import/import-csv';
import { pythonWith } from '../python';
import { writeSyntheticCsv } from './synthetic-csv';
import { makeDir } from '../files/make-dir';

export interface ImportMeasurement {
  peer: 'papaparse (parse only)' | 'nnlab import' | 'pandas.read_csv';
  rows: number;
  seconds: number;
  rows_per_s: number;
  mb_per_s: number;
  peak_rss_mb: number;
}

/** The benchmark file, made once and kept in the system's temporary folder. */
export async function benchmarkFile(rows: number): Promise<string> {
  const dir = join(tmpdir(), 'nnlab-bench');
  await makeDir(dir);
  const path = join(dir, `synthetic-${rows}.csv`);
  if (!existsSync(path)) await writeSyntheticCsv(path, rows);
  return path;
}

/** Runs in a child process so that its peak memory is its own. */
export async function measureImportInThisProcess(kind: 'raw' | 'nnlab', path: string): Promise<ImportMeasurement> {
  const megabytes = statSync(path).size / 1e6;
  const started = performance.now();
  let rows = 0;
  if (kind === 'raw') {
    // The parser alone, reading the same bytes the same way: rows of strings, nothing kept.
    await new Promise<void>((resolve, reject) => {
      Papa.parse(createReadStream(path, 'utf8') as unknown as File, {
        step: () => { rows++; },
        complete: () => resolve(),
        error: reject,
      });
    });
    rows -= 1;
  } else {
    rows = (await importCsv(path)).table.rows;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    peer: kind === 'raw' ? 'papaparse (parse only)' : 'nnlab import',
    rows,
    seconds,
    rows_per_s: rows / seconds,
    mb_per_s: megabytes / seconds,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

export function measureImport(cli: string, kind: 'raw' | 'nnlab', path: string): ImportMeasurement {
  const child = spawnSync(process.execPath, [cli, 'bench', '--child', `import-${kind}`, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`The ${kind} import benchmark failed: ${child.stderr.trim()}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ImportMeasurement;
}

const pandasPeer = fileURLToPath(new URL('../../bench/pandas_peer.py', import.meta.url));

/** pandas.read_csv on the same file in its own process, or why it cannot run here. */
export function measurePandasImport(path: string): ImportMeasurement | { skipped: string } {
  const python = pythonWith('pandas');
  if (python === null) return { skipped: 'no python3 on PATH has pandas' };
  const child = spawnSync(python, [pandasPeer, path], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const last = child.stdout?.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !last.startsWith('{')) {
    return { skipped: (child.stderr?.trim().split('\n').filter(Boolean).pop() ?? `exit code ${child.status}`).slice(0, 200) };
  }
  return JSON.parse(last) as ImportMeasurement;
}
