import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/run-record';
import { exportRun } from '../../main/export/export-run';
import { tempHome, trainCsv, type TrainedCliRun } from '../support/cli';
import { writeWeatherCsv } from '../support/weather';
import { HAS_TORCH, NO_TORCH, storeOf, TORCH_PYTHON } from './fixtures';

const home = tempHome();
afterAll(home.cleanup);

/** Weighted runs of each kind of loss: softmax cross-entropy, mean squared error on one-hot classes, sum of squares, binary cross-entropy. */
const RUNS = {
  softmax_ce: { csv: 'weather.csv', args: [] },
  mse: { csv: 'weather.csv', args: ['--loss', 'mse'] },
  sse: { csv: 'weather.csv', args: ['--loss', 'sse', '--lr', '0.001'] },
  bce: { csv: 'fog.csv', args: [] },
} as const;
type Kind = keyof typeof RUNS;
const trained = new Map<Kind, { run: TrainedCliRun; script: string }>();

beforeAll(async () => {
  const weather = join(home.dir, 'weather.csv');
  writeWeatherCsv(weather, 1000, 11);
  // Fog or not: two classes, one sigmoid output, fog 3 % of the rows.
  const lines = readFileSync(weather, 'utf8').trim().split('\n');
  writeFileSync(join(home.dir, 'fog.csv'), `${lines.map((l, i) => (i === 0 ? l.replace(/weather$/, 'fog') : l.replace(/,[a-z]+$/, (m) => (m === ',fog' ? ',yes' : ',no')))).join('\n')}\n`);
  for (const [kind, { csv, args }] of Object.entries(RUNS) as [Kind, (typeof RUNS)[Kind]][]) {
    const run = await trainCsv(home.dir, join(home.dir, csv), [...args, '--class-weight', 'balanced', '--epochs', '20']);
    const result = await exportRun(storeOf(home.dir), run.id, 'torch');
    const script = join(home.dir, result.files[0]!.name);
    writeFileSync(script, result.files[0]!.bytes);
    trained.set(kind, { run, script });
  }
});

const record = (run: TrainedCliRun) => JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')) as RunRecord;

/**
 * The script's own loss on its own split of the data, with nnlab's trained weights loaded into the script's
 * network: with the run's class weights and without them.
 */
function scriptLosses(run: TrainedCliRun, script: string): { train: number; val: number; trainUnweighted: number } {
  const code = `
import base64, importlib.util, json, sys
import numpy as np, torch
spec = importlib.util.spec_from_file_location("nnlab_train", ${JSON.stringify(script)})
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
arch = m.CONFIG["architecture"]
model = m.build(torch, arch)
stored = json.load(open(${JSON.stringify(run.model)}))["layers"]
linears = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
tensor = lambda t: np.frombuffer(base64.b64decode(t["data"]), "<f4").reshape(t["shape"])
with torch.no_grad():
    for linear, layer in zip(linears, stored):
        linear.weight.copy_(torch.from_numpy(tensor(layer["weights"]).T.copy()))
        if layer["bias"] is not None:
            linear.bias.copy_(torch.from_numpy(tensor(layer["bias"]).copy()))
parts = m.split_arrays(m.CONFIG["data"])
def loss(part, weighted=True):
    x, y = parts[part]
    w = m.class_weights_of(y)
    weights = torch.from_numpy(w) if weighted and w is not None else None
    with torch.no_grad():
        return m.nnlab_loss(torch, arch["loss"], model(torch.from_numpy(x)), m.target_tensor(torch, y, arch["loss"]), weights).item()
print(json.dumps({"train": loss("train"), "val": loss("val"), "trainUnweighted": loss("train", False)}))
`;
  const result = spawnSync(TORCH_PYTHON!, ['-c', code], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { train: number; val: number; trainUnweighted: number };
}

describe.skipIf(!HAS_TORCH).each(Object.keys(RUNS) as Kind[])(`the PyTorch script of a run with balanced class weights, loss %s${NO_TORCH}`, (kind) => {
  it('weighs each row as nnlab did: nnlab’s weights give the script nnlab’s own training and validation losses', () => {
    const { run, script } = trained.get(kind)!;
    const rec = record(run);
    expect(rec.model.loss).toBe(kind);
    expect(rec.training.classWeights).toBeDefined();
    const losses = scriptLosses(run, script);
    const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(relative(losses.train, rec.summary.train!.loss!)).toBeLessThan(1e-5);
    expect(relative(losses.val, rec.summary.val!.loss!)).toBeLessThan(1e-5);
    // The weights matter: the same rows counted once each give another loss.
    expect(relative(losses.trainUnweighted, rec.summary.train!.loss!)).toBeGreaterThan(1e-2);
  });

  it('trains with them for 3 epochs and the loss falls', () => {
    const { script } = trained.get(kind)!;
    const result = spawnSync(TORCH_PYTHON!, [script, '--epochs', '3', '--out', join(home.dir, `${kind}.pt`)], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const losses = [...result.stdout.matchAll(/^epoch (\d+) loss ([\d.]+) val_loss ([\d.]+)$/gm)].map((m) => Number(m[2]));
    expect(losses).toHaveLength(3);
    expect(losses[2]!).toBeLessThan(losses[0]!);
  });
});
