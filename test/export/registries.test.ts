import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, type ExportFormatId } from '../../common/export-formats';
import type { RunRecord } from '../../common/run-record';
import { ACTIVATION_REGISTRY, ACTIVATIONS, type ActivationName } from '../../engine/activations';
import { loss, LOSSES, type LossName } from '../../engine/losses';
import { OPTIMIZERS } from '../../engine/optimizers';
import { exportRun } from '../../main/export/export-run';
import { PARITY_TOLERANCE } from '../../main/export/standalone-model';
import { dataset, tempHome, trainCsv } from '../support/cli';
import { HAS_NUMPY, HAS_TORCH, NO_NUMPY, NO_TORCH, readModelJson, TORCH_PYTHON, storeOf, writeRegressionCsv, type ModelJson } from './fixtures';

// One run per entry of the activation, loss and optimiser registries, each exported in every model format that
// meets it: a new entry is tested here without anyone adding it to a list.

type ModelFormat = Exclude<ExportFormatId, 'metrics'>;
type Concept = 'activation' | 'loss' | 'optimizer';

/** The registries each model format meets: any model has some activations and came from some loss; only the PyTorch script trains. */
const MEETS: Record<ModelFormat, readonly Concept[]> = {
  json: ['activation', 'loss'],
  onnx: ['activation', 'loss'],
  npz: ['activation', 'loss'],
  js: ['activation', 'loss'],
  py: ['activation', 'loss'],
  torch: ['activation', 'loss', 'optimizer'],
};
const MODEL_FORMATS = EXPORT_FORMATS.filter((format): format is ModelFormat => format !== 'metrics');

/** The Python exports run under python3 with NumPy; without it they cannot be checked. */
const needsNumpy = (format: ModelFormat) => format === 'py' || format === 'torch';

type Target = 'classes' | 'two classes' | 'value';

/** Small data sets for each kind of target, trained briefly: the checks compare predictions, not quality. */
const DATA: Record<Target, (home: string) => { csv: string; args: string[] }> = {
  classes: () => ({ csv: dataset('iris.csv'), args: [] }),
  'two classes': () => ({ csv: dataset('xor.csv'), args: ['--val', '0', '--test', '0'] }),
  value: (home) => {
    const csv = join(home, 'linear.csv');
    writeRegressionCsv(csv);
    return { csv, args: [] };
  },
};

/** The target a loss is for, by the output activation it requires: softmax several classes, sigmoid two, none a value. */
function targetFor(name: LossName): Target {
  const output = loss(name).requires;
  return output === 'softmax' ? 'classes' : output === 'sigmoid' ? 'two classes' : 'value';
}

/** An activation no hidden layer may have reaches a model only as the output that a loss requires. */
function lossWithOutput(activation: ActivationName): LossName {
  const found = LOSSES.find((name) => loss(name).requires === activation);
  if (!found) throw new Error(`No loss puts ${activation} on the output layer, so no run can use it.`);
  return found;
}

interface Case {
  concept: Concept;
  name: string;
  target: Target;
  args: string[];
}

const CASES: Case[] = [
  ...ACTIVATIONS.map((name): Case => (ACTIVATION_REGISTRY[name].hidden
    ? { concept: 'activation', name, target: 'classes', args: ['--activation', name] }
    : { concept: 'activation', name, target: targetFor(lossWithOutput(name)), args: ['--loss', lossWithOutput(name)] })),
  ...LOSSES.map((name): Case => ({ concept: 'loss', name, target: targetFor(name), args: ['--loss', name] })),
  ...OPTIMIZERS.map((name): Case => ({ concept: 'optimizer', name, target: 'classes', args: ['--optimizer', name] })),
];

/** Whether the trained run really has the entry it was made for. */
function uses(c: Case, model: ModelJson, record: RunRecord): boolean {
  switch (c.concept) {
    case 'activation': return model.architecture.layers.some((layer) => layer.activation === c.name);
    case 'loss': return model.architecture.loss === c.name;
    case 'optimizer': return record.training.optimizer.name === c.name;
  }
}

const home = tempHome();
afterAll(home.cleanup);

describe.each(CASES)('a run with the $concept $name', (c) => {
  let id = '';

  beforeAll(async () => {
    const { csv, args } = DATA[c.target](home.dir);
    const run = await trainCsv(home.dir, csv, [...args, ...c.args, '--layers', '4', '--epochs', '3']);
    const record = JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')) as RunRecord;
    expect(uses(c, readModelJson(run.model), record), `the run does not use the ${c.concept} ${c.name}`).toBe(true);
    id = run.id;
  });

  for (const format of MODEL_FORMATS.filter((f) => MEETS[f].includes(c.concept))) {
    const skip = needsNumpy(format) && !HAS_NUMPY;
    const what = format === 'torch' ? 'its PyTorch script reads and splits the data as nnlab did' : `its ${format} export predicts the held-back rows as nnlab does`;
    it.skipIf(skip)(`${what}${needsNumpy(format) ? NO_NUMPY : ''}`, async () => {
      const { verification } = await exportRun(storeOf(home.dir), id, format);
      expect(verification.message).toMatch(/^verified: /);
      expect(verification.verified).toBe(true);
      expect(verification.rows).toBeGreaterThan(0);
      if (format !== 'torch') expect(verification.maxDelta!).toBeLessThanOrEqual(PARITY_TOLERANCE);
    });
  }

  // Skipped unless `python3 -c "import torch"` works: PyTorch is not installed here by default.
  it.skipIf(!HAS_TORCH)(`its PyTorch script trains an epoch with PyTorch${NO_TORCH}`, async () => {
    const { files } = await exportRun(storeOf(home.dir), id, 'torch');
    const script = join(home.dir, files[0]!.name);
    writeFileSync(script, files[0]!.bytes);
    const result = spawnSync(TORCH_PYTHON!, [script, '--epochs', '1', '--out', join(home.dir, `${id}.pt`)], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^epoch 1 loss \d+\.\d+( val_loss \d+\.\d+)?$/m);
  });
});
