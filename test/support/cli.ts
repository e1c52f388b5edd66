import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { main } from '../../main/cli/nnlab';
import type { Io } from '../../main/cli/io';

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const dataset = (name: string): string => join(repoRoot, 'datasets', name);

export interface CliResult {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Runs the command line in this process, capturing what it prints. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = {
    out: (line) => stdout.push(...line.split('\n')),
    err: (line) => stderr.push(...line.split('\n')),
    errRaw: () => {},
    stderrIsTTY: false,
    env,
    exitCode: 0,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** The JSON object a command prints on the last line of stdout. */
export function lastJson<T = Record<string, unknown>>(result: CliResult): T {
  const lines = result.stdout.filter((l) => l.trim() !== '');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** What `nnlab train --json` prints on its last line, as far as the tests read it. */
export interface TrainJson {
  run: string;
  status: string;
  task: string;
  epochs: number;
  kernels: string;
  message: string;
  warnings: string[];
}

/** A run that `nnlab train` made: its id, its model file and its folder. */
export interface TrainedCliRun {
  id: string;
  model: string;
  runDir: string;
}

/** `nnlab train CSV ARGS` in the lab at `home`, as the product trains (in a worker process). */
export async function trainCsv(home: string, csv: string, args: string[] = []): Promise<TrainedCliRun> {
  const result = await runCli(['train', csv, ...args, '--home', home, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  const out = lastJson<{ run: string; model: string }>(result);
  return { id: out.run, model: out.model, runDir: join(home, 'runs', out.run) };
}

const builtCli = join(repoRoot, 'bin', 'nnlab.js');

/** Runs the built `nnlab` as a user would, in a fresh Node process. */
export function spawnCli(argv: string[], env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  if (!existsSync(join(repoRoot, 'out', 'main', 'cli.js'))) throw new Error('nnlab is not built: run `npm run build` (npm test does it first).');
  const result = spawnSync(process.execPath, [builtCli, ...argv], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempHome(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A regression file in `dir`: price from two features with a little noise, the target spanning about 2,000. */
export function writePrices(dir: string): string {
  const rows = ['x1,x2,price'];
  for (let i = 0; i < 300; i++) {
    const x1 = (i * 37) % 100 / 10;
    const x2 = (i * 53) % 70 / 10;
    rows.push(`${x1},${x2},${(1000 + 200 * x1 - 150 * x2 + ((i * 7919) % 11) - 5).toFixed(2)}`);
  }
  const file = join(dir, 'prices.csv');
  writeFileSync(file, rows.join('\n'));
  return file;
}
