import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Preprocessing } from '../../engine/data/preprocessing';
import { pythonWith } from '../../main/python';
import { RunStore } from '../../main/store/run-store';
import { exportRun } from '../../main/export/export-run';
import { dataset, runCli, tempHome, trainCsv, type TrainedCliRun } from '../support/cli';

/** The runs every export is checked on: each kind of target, one-hot inputs, imputation, no biases, a date column and a type override. */
export const RUN_KINDS = ['iris', 'penguins-impute', 'xor', 'regression', 'no-bias', 'dated'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export interface TrainedRun extends TrainedCliRun {
  kind: RunKind;
  /** The CSV the run was trained on (and whose rows are predicted in the checks). */
  csv: string;
}

/**
 * y = 3a − 2b + 0.5c + an offset per colour, with a little deterministic noise: a regression target that
 * needs both the numeric columns and the one-hot column.
 */
export function writeRegressionCsv(path: string): void {
  const offset: Record<string, number> = { red: 10, green: -6, blue: 2 };
  const colours = Object.keys(offset);
  const lines = ['a,b,c,colour,y'];
  for (let i = 0; i < 240; i++) {
    const a = ((i * 37) % 100) / 10;
    const b = ((i * 53) % 70) / 10;
    const c = ((i * 29) % 90) / 3;
    const colour = colours[(i * 7) % 3]!;
    const noise = (((i * 7919) % 11) - 5) / 20;
    lines.push(`${a},${b},${c.toFixed(3)},${colour},${(3 * a - 2 * b + 0.5 * c + offset[colour]! + noise).toFixed(4)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/**
 * Whether a shop was busy: weekends and December are, and store 3 always is. `sold` is an ISO date (some with a
 * time of day, one missing), read as year, month, day and weekday; `store` is a numeric code, read as categories.
 */
export function writeDatedCsv(path: string): void {
  const lines = ['sold,store,units,busy'];
  for (let i = 0; i < 200; i++) {
    const day = new Date(Date.UTC(2023, 0, 1) + ((i * 37) % 500) * 86_400_000);
    const store = 1 + ((i * 7) % 3);
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
    const busy = weekend || day.getUTCMonth() === 11 || store === 3;
    const iso = day.toISOString().slice(0, 10);
    const sold = i === 17 ? 'NA' : i % 5 === 0 ? `${iso}T${String(i % 24).padStart(2, '0')}:30:00` : iso;
    lines.push(`${sold},${store},${(i * 13) % 40},${busy ? 'yes' : 'no'}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const TRAIN_ARGS: Record<RunKind, (home: string) => { csv: string; args: string[] }> = {
  iris: () => ({ csv: dataset('iris.csv'), args: [] }),
  'penguins-impute': () => ({ csv: dataset('penguins.csv'), args: ['--target', 'Species', '--missing-policy', 'impute'] }),
  xor: () => ({ csv: dataset('xor.csv'), args: ['--val', '0', '--test', '0', '--layers', '4', '--activation', 'tanh', '--epochs', '300'] }),
  regression: (home) => {
    const csv = join(home, 'linear.csv');
    writeRegressionCsv(csv);
    return { csv, args: ['--epochs', '150'] };
  },
  // Penguins' sex from everything else: two classes (one sigmoid output), one-hot Species and Island, rows
  // with NA features dropped (asked for: no row with a target has a gap, so 'auto' would fill them in), and no bias anywhere.
  'no-bias': () => ({ csv: dataset('penguins.csv'), args: ['--no-bias', '--missing-policy', 'drop'] }),
  dated: (home) => {
    const csv = join(home, 'dated.csv');
    writeDatedCsv(csv);
    return { csv, args: ['--column-type', 'store=category', '--missing-policy', 'impute', '--epochs', '80'] };
  },
};

export async function trainRun(home: string, kind: RunKind, extra: string[] = []): Promise<TrainedRun> {
  const { csv, args } = TRAIN_ARGS[kind](home);
  return { kind, csv, ...(await trainCsv(home, csv, [...args, ...extra])) };
}

export async function trainAll(home: string): Promise<Record<RunKind, TrainedRun>> {
  const runs = {} as Record<RunKind, TrainedRun>;
  for (const kind of RUN_KINDS) runs[kind] = await trainRun(home, kind);
  return runs;
}

export const storeOf = (home: string) => new RunStore(home);

/** The CSV's rows as the text of each cell, by column name. */
export function csvRows(path: string): Record<string, string>[] {
  return parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
}

export interface CliPrediction {
  prediction: string;
  probabilities: number[] | null;
}

/** `nnlab predict MODEL CSV`, read back: one entry per input row (an empty prediction when it got none). */
export async function nnlabPredict(model: string, csv: string, classes: string[] | null): Promise<CliPrediction[]> {
  const result = await runCli(['predict', model, csv]);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  const rows = parse(result.stdout.join('\n'), { columns: true }) as Record<string, string>[];
  return rows.map((r) => ({
    prediction: r.prediction!,
    probabilities: classes && r.prediction !== '' ? classes.map((c) => Number(r[`prob_${c}`])) : null,
  }));
}

/** Model file contents as written by training, with the weights decoded from base64 float32. */
export interface ModelJson {
  inputs: string[];
  architecture: { inputs: number; layers: { units: number; activation: string }[]; bias: boolean; loss: string };
  preprocessing: Preprocessing;
  layers: { weights: { shape: number[]; data: string }; bias: { shape: number[]; data: string } | null }[];
}

export const readModelJson = (path: string): ModelJson => JSON.parse(readFileSync(path, 'utf8')) as ModelJson;

/** The raw little-endian float32 bytes of a base64 tensor in model.json. */
export const tensorBytes = (data: string): Uint8Array => new Uint8Array(Buffer.from(data, 'base64'));

/**
 * The network's input vector for one CSV row, built by hand from the names in `inputs` (a numeric column, or
 * column=category): unstandardised numbers and 0/1 one-hot entries, with missing cells filled from the
 * model's impute values, or null when the row has a missing feature and the model drops such rows.
 */
export function encodeByHand(inputs: string[], preprocessing: Preprocessing, row: Record<string, string>): number[] | null {
  const markers = new Set(preprocessing.missingMarkers);
  const impute = preprocessing.missingPolicy === 'impute';
  const x: number[] = [];
  for (const name of inputs) {
    if (name in row) {
      const feature = preprocessing.features.find((f) => f.column === name)!;
      const text = row[name]!.trim();
      if (markers.has(text) || !Number.isFinite(Number(text))) {
        if (!impute) return null;
        x.push(feature.impute as number);
      } else {
        x.push(Number(text));
      }
      continue;
    }
    const dated = Object.keys(row).find((c) => name.startsWith(`${c}.`) && preprocessing.features.some((f) => f.column === c && f.kind === 'date'));
    if (dated !== undefined) {
      const feature = preprocessing.features.find((f) => f.column === dated)!;
      if (feature.kind !== 'date') throw new Error(`${dated} is not a date feature`);
      const part = feature.parts.indexOf(name.slice(dated.length + 1) as (typeof feature.parts)[number]);
      const text = row[dated]!.trim();
      if (markers.has(text)) {
        if (!impute) return null;
        x.push(feature.impute[part]!);
        continue;
      }
      const day = new Date(`${text.slice(0, 10)}T00:00:00Z`);
      x.push([day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), day.getUTCDay() || 7][part]!);
      continue;
    }
    const column = Object.keys(row).find((c) => name.startsWith(`${c}=`));
    if (column === undefined) throw new Error(`no column for input ${name}`);
    const feature = preprocessing.features.find((f) => f.column === column)!;
    let text = row[column]!.trim();
    if (markers.has(text)) {
      if (!impute) return null;
      text = feature.impute as string;
    }
    x.push(name === `${column}=${text}` ? 1 : 0);
  }
  return x;
}

/** |a − b| relative to the size of a (as nnlab's export checks measure it). */
export const relativeDelta = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(a));

/** The python3 on PATH with NumPy, and the one with NumPy and PyTorch (they need not be the first python3). */
export const NUMPY_PYTHON = pythonWith('numpy');
export const TORCH_PYTHON = pythonWith('numpy', 'torch');
export const HAS_NUMPY = NUMPY_PYTHON !== null;
export const HAS_TORCH = TORCH_PYTHON !== null;

/** Runs a Python snippet with JSON on stdin and returns its parsed JSON stdout. */
export function python<T>(code: string, input: unknown, cwd?: string): T {
  const result = spawnSync(NUMPY_PYTHON ?? 'python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', cwd, maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Appended to the titles of tests that are skipped when a tool is missing, so the skip says why. */
export const NO_NUMPY = HAS_NUMPY ? '' : ' [skipped: python3 with NumPy was not found]';
export const NO_TORCH = HAS_TORCH ? '' : ' [skipped: python3 cannot import torch (PyTorch is not installed)]';

/**
 * Python that imports an exported training script as a module and splits its data as its main() does, leaving
 * `m`, `pre`, `encoded` (row, inputs, target) and `parts` (the row numbers of each part) for the lines after it.
 */
export function scriptSplitPrelude(script: string): string {
  return `
import importlib.util, json
spec = importlib.util.spec_from_file_location("nnlab_train", ${JSON.stringify(script)})
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
pre = m.CONFIG["preprocessing"]
encoded = m.encode(m.read_table(m.CONFIG["data"]), pre, m.CONFIG["dialect"]["decimal"])
rows = [r for r, _, _ in encoded]
labels = {r: pre["target"]["classes"][y] for r, _, y in encoded} if pre["target"]["kind"] == "classes" else None
parts = m.split_rows(rows, labels, m.CONFIG["split"]["val"], m.CONFIG["split"]["test"], m.CONFIG["split"]["seed"])
`;
}

/** An iris run trained in a lab of its own and its PyTorch script written beside it, for one test file. */
export function exportedIrisTorchScript(): { readonly dir: string; readonly run: TrainedRun; readonly script: string } {
  const home = tempHome();
  const made: { run?: TrainedRun; script?: string } = {};
  afterAll(home.cleanup);
  beforeAll(async () => {
    made.run = await trainRun(home.dir, 'iris');
    const result = await exportRun(storeOf(home.dir), made.run.id, 'torch');
    made.script = join(home.dir, result.files[0]!.name);
    writeFileSync(made.script, result.files[0]!.bytes);
  });
  return { dir: home.dir, get run() { return made.run!; }, get script() { return made.script!; } };
}
