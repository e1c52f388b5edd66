import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDataset } from '../../engine/data/dataset';
import { importCsv } from '../../main/data/import/import-csv';
import { exportRun } from '../../main/export/export-run';
import type { RunRecord } from '../../common/run-record';
import { datasetOptions } from '../../main/training/plan';
import { lastJson, runCli, tempHome } from '../support/cli';
import { HAS_NUMPY, NO_NUMPY, HAS_TORCH, NO_TORCH, NUMPY_PYTHON, python, scriptSplitPrelude, TORCH_PYTHON, RUN_KINDS, storeOf, trainAll, trainRun, type RunKind, type TrainedRun } from './fixtures';

const home = tempHome();
afterAll(home.cleanup);
let runs: Record<RunKind, TrainedRun>;
let irisSeed2: TrainedRun;
let irisRefit: TrainedRun;
const scripts = new Map<string, string>();

beforeAll(async () => {
  runs = await trainAll(home.dir);
  irisSeed2 = await trainRun(home.dir, 'iris', ['--seed', '2']);
  irisRefit = await trainRun(home.dir, 'iris', ['--refit', '--epochs', '40', '--early-stop', '0']);
  for (const run of [...Object.values(runs), irisSeed2, irisRefit]) {
    const result = await exportRun(storeOf(home.dir), run.id, 'torch');
    expect(result.files[0]!.name).toBe(`train_${run.id}.py`);
    // Without NumPy the dry run cannot be made, and the export says it was not verified.
    expect(result.verification.verified).toBe(HAS_NUMPY);
    const path = join(home.dir, result.files[0]!.name);
    writeFileSync(path, result.files[0]!.bytes);
    scripts.set(run.id, path);
  }
});

const record = (run: TrainedRun) => JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')) as RunRecord;

/** The script's own split, by importing it and calling its functions as its main() does: rows it can use. */
function scriptSplit(run: TrainedRun): { train: number[]; val: number[]; test: number[] } {
  return python(`${scriptSplitPrelude(scripts.get(run.id)!)}usable = {r for r, x, _ in encoded if x is not None}
print(json.dumps({k: [r for r in v if r in usable] for k, v in parts.items()}))
`, null);
}

/** nnlab's own split of the run's data: the source rows of each part, as training saw them. */
async function nnlabSplit(run: TrainedRun): Promise<{ train: number[]; val: number[]; test: number[] }> {
  const rec = record(run);
  const imported = await importCsv(resolve(rec.dataset.path), { ...rec.request.import });
  const options = datasetOptions(rec.request);
  options.missingMarkers = imported.missingMarkers;
  const data = prepareDataset(imported.table, options);
  const rows = (split: { source?: Uint32Array } | null) => (split ? Array.from(split.source!) : []);
  return { train: rows(data.train), val: rows(data.val), test: rows(data.test) };
}

// Skipped without NumPy: the script imports it even for a dry run.
describe.skipIf(!HAS_NUMPY).each(RUN_KINDS)(`the PyTorch script of the %s run${NO_NUMPY}`, (kind) => {
  it('reads and splits the data as nnlab did: --dry-run prints the split sizes of run.json and exits 0', () => {
    const run = runs[kind];
    const result = spawnSync(NUMPY_PYTHON!, [scripts.get(run.id)!, '--dry-run'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const { splits } = record(run).dataset;
    expect(result.stdout.trim()).toBe(`rows: ${splits.train} train, ${splits.val} validation, ${splits.test} test`);
  });

  it('puts the very rows nnlab put in each part', async () => {
    const run = runs[kind];
    expect(scriptSplit(run)).toEqual(await nnlabSplit(run));
  });
});

describe.skipIf(!HAS_NUMPY)(`the PyTorch script’s split${NO_NUMPY}`, () => {
  it('follows the run’s seed: another seed gives another split, each the same as nnlab’s', async () => {
    const first = scriptSplit(runs.iris);
    const second = scriptSplit(irisSeed2);
    expect(second.train.length).toBe(first.train.length);
    expect(second.train).not.toEqual(first.train);
    expect(second.test).not.toEqual(first.test);
    expect(second).toEqual(await nnlabSplit(irisSeed2));
    const dry = spawnSync(NUMPY_PYTHON!, [scripts.get(irisSeed2.id)!, '--dry-run'], { encoding: 'utf8' });
    expect(dry.status).toBe(0);
  });

  it('--dry-run exits non-zero and says what nnlab had when the data no longer splits the same', () => {
    const lines = readFileSync(runs.iris.csv, 'utf8').trim().split('\n');
    const shorter = join(home.dir, 'iris-shorter.csv');
    writeFileSync(shorter, `${lines.slice(0, -10).join('\n')}\n`);
    const result = spawnSync(NUMPY_PYTHON!, [scripts.get(runs.iris.id)!, '--data', shorter, '--dry-run'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/\(nnlab had \{'train': 90, 'val': 30, 'test': 30\}\)/);
  });
});

// Skipped unless `python3 -c "import torch"` works: PyTorch is not installed here by default.
it.skipIf(!HAS_TORCH)(`trains for 3 epochs with PyTorch and the loss falls${NO_TORCH}`, () => {
  const out = join(home.dir, 'iris.pt');
  const result = spawnSync(TORCH_PYTHON!, [scripts.get(runs.iris.id)!, '--epochs', '3', '--out', out], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const losses = [...result.stdout.matchAll(/^epoch (\d+) loss ([\d.]+) val_loss ([\d.]+)$/gm)].map((m) => Number(m[2]));
  expect(losses).toHaveLength(3);
  expect(losses[2]!).toBeLessThan(losses[0]!);
  expect(result.stdout).toContain(`saved ${out}`);
});

describe.skipIf(!HAS_NUMPY)(`the PyTorch script of a run refitted on its training and validation rows${NO_NUMPY}`, () => {
  it('trains on both, as nnlab\'s saved model did, for the refit\'s epochs unless told otherwise', () => {
    const { refit, epochs } = { refit: record(irisRefit).summary.refit!, epochs: record(irisRefit).summary.epochs };
    const { train, val } = record(irisRefit).dataset.splits;
    expect(refit.rows).toBe(train + val);
    expect(refit.epochs).toBe(Math.round((epochs * train) / (train + val)));
    const dry = spawnSync(NUMPY_PYTHON!, [scripts.get(irisRefit.id)!, '--dry-run'], { encoding: 'utf8' });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`refit: training on all ${train + val} training and validation rows, as nnlab's saved model was`);
    // The script of a run that was not refitted trains on the training rows alone.
    const plain = spawnSync(NUMPY_PYTHON!, [scripts.get(runs.iris.id)!, '--dry-run'], { encoding: 'utf8' });
    expect(plain.stdout).not.toContain('refit');
    if (!HAS_TORCH) return;
    const out = join(home.dir, 'iris-refit.pt');
    const trained = spawnSync(TORCH_PYTHON!, [scripts.get(irisRefit.id)!, '--out', out], { encoding: 'utf8' });
    expect(trained.status, trained.stderr).toBe(0);
    expect([...trained.stdout.matchAll(/^epoch (\d+) loss/gm)].map((m) => Number(m[1]))).toEqual(Array.from({ length: refit.epochs }, (_, i) => i + 1));
    // Its validation rows are training rows now: there is no validation loss to print.
    expect(trained.stdout).not.toContain('val_loss');
  });
});

describe.skipIf(!HAS_NUMPY)(`the PyTorch script of a file with repeated and empty column names${NO_NUMPY}`, () => {
  it('names the columns as nnlab does ("a", "a_2", "column_3"), so it reads and splits the data as nnlab did', async () => {
    const csv = join(home.dir, 'repeated-names.csv');
    const lines = ['a,a,,y'];
    for (let i = 0; i < 120; i++) {
      const [x, z, w] = [((i * 37) % 100) / 100, ((i * 53) % 70) / 70, ((i * 29) % 90) / 90];
      lines.push(`${x},${z},${w},${x + z > 1 ? 'p' : 'q'}`);
    }
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const trained = await runCli(['train', csv, '--epochs', '3', '--home', home.dir, '--json']);
    expect(trained.code, trained.stderr.join('\n')).toBe(0);
    const result = await exportRun(storeOf(home.dir), lastJson<{ run: string }>(trained).run, 'torch');
    expect(result.verification.message).toMatch(/^verified: /);
    expect(result.verification.verified).toBe(true);
  });
});
