import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../engine/random';
import { appPath } from '../app-paths';
import { benchmarkFile } from './import-bench';

export interface EndToEndMeasurement {
  bench: 'end-to-end';
  task: string;
  rows: number;
  /** Wall time of the whole `nnlab train` command: start-up, reading, training, evaluation, saving. */
  seconds: number;
  epochs: number;
  test_accuracy: number | null;
  /** Peak resident memory of the training worker process. */
  worker_peak_mb: number | null;
}

async function writeCsv(path: string, header: string[], rows: number, row: (i: number) => (string | number)[]): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header.join(',')}\n`);
  let buffer = '';
  for (let i = 0; i < rows; i++) {
    buffer += `${row(i).join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/** Like scikit-learn's digits: 1,797 rows of 64 pixel intensities 0–16, ten classes around noisy prototypes. */
async function digitsLike(dir: string): Promise<string> {
  const path = join(dir, 'digits-like.csv');
  const rng = new Random(3);
  const prototypes = Array.from({ length: 10 }, () => Array.from({ length: 64 }, () => (rng.uniform() < 0.4 ? 12 : 1)));
  await writeCsv(path, [...Array.from({ length: 64 }, (_, i) => `p${i}`), 'digit'], 1797, (i) => {
    const digit = i % 10;
    return [...prototypes[digit]!.map((v) => Math.max(0, Math.min(16, Math.round(v + 4 * rng.normal())))), digit];
  });
  return path;
}

/** The W4 shape as a file: 10,000 rows of 784 inputs and a 10-class label. */
async function mnistLike(dir: string): Promise<string> {
  const path = join(dir, 'mnist-like.csv');
  const rng = new Random(4);
  await writeCsv(path, [...Array.from({ length: 784 }, (_, i) => `x${i}`), 'label'], 10_000, (i) => [
    ...Array.from({ length: 784 }, () => (rng.uniform() < 0.8 ? 0 : Math.floor(rng.uniform() * 256))), i % 10,
  ]);
  return path;
}

function trainWithCli(cli: string, task: string, file: string, rows: number, args: string[], home: string): EndToEndMeasurement {
  const started = performance.now();
  const child = spawnSync(process.execPath, [cli, 'train', file, '--json', '--home', home, ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`Training ${task} failed: ${child.stderr.trim().split('\n').pop()}`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as { epochs: number; test: { accuracy?: number } | null; peak_memory_mb: number | null };
  return { bench: 'end-to-end', task, rows, seconds, epochs: result.epochs, test_accuracy: result.test?.accuracy ?? null, worker_peak_mb: result.peak_memory_mb };
}

/** Whole training commands as a person runs them: to convergence on small data, and the memory of large runs. */
export async function endToEndBench(cli: string, importRows: number): Promise<EndToEndMeasurement[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-e2e-bench-'));
  const home = join(dir, 'lab');
  try {
    const iris = appPath('datasets/iris.csv');
    if (!existsSync(iris)) throw new Error('The example datasets are missing from this installation.');
    return [
      trainWithCli(cli, 'iris to convergence (defaults, early stopping)', iris, 150, [], home),
      trainWithCli(cli, 'digits-like 64 → 10 to convergence (defaults)', await digitsLike(dir), 1797, [], home),
      trainWithCli(cli, 'W4 shape 784-256-128-10, 2 epochs (random data)', await mnistLike(dir), 10_000, ['--layers', '256,128', '--batch', '128', '--optimizer', 'sgd', '--lr', '0.1', '--epochs', '2', '--early-stop', '0'], home),
      trainWithCli(cli, `${importRows.toLocaleString('en-US')}-row file, 1 epoch (random labels)`, await benchmarkFile(importRows), importRows, ['--epochs', '1', '--early-stop', '0'], home),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
