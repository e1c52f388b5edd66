import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../common/run-record';
import { dataset, lastJson, runCli, tempHome, type TrainJson } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const SEED = ['--layers', '4', '--activation', 'sigmoid', '--loss', 'sse', '--optimizer', 'sgd', '--lr', '1', '--epochs', '30', '--batch', 'full', '--init', 'uniform', '--no-standardize', '--val', '0', '--test', '0'];

async function train(file: string, args: string[]): Promise<{ json: TrainJson; record: RunRecord; weights: number }> {
  const result = await runCli(['train', file, ...args, '--home', home.dir, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  const json = lastJson<TrainJson>(result);
  const dir = join(home.dir, 'runs', json.run);
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
  const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { layers: { weights: { shape: number[] } }[] };
  return { json, record, weights: model.layers.reduce((sum, l) => sum + l.weights.shape[0]! * l.weights.shape[1]!, 0) };
}

describe('nnlab train --keep-constant', () => {
  it('keeps the seed\'s constant column as an input by name: 3 inputs, 3·4 + 4·1 = 16 weights, recorded in the request', async () => {
    const { json, record, weights } = await train(dataset('seed-xor.csv'), [...SEED, '--no-bias', '--keep-constant', 'x3']);
    expect(record.request.roles.keepConstant).toEqual(['x3']);
    expect(record.model.inputs).toBe(3);
    expect(weights).toBe(16);
    expect(json.warnings).toContain('Column "x3" has only one value and is kept as an input on request: a constant tells no rows apart, so it is usually left out; in a network without biases it plays the bias, as in the seed.');
  });

  it('without the flag, keeps it only in a network without biases, as before', async () => {
    const noBias = await train(dataset('seed-xor.csv'), [...SEED, '--no-bias']);
    expect(noBias.record.request.roles.keepConstant).toBeUndefined();
    expect(noBias.record.model.inputs).toBe(3);
    const withBias = await train(dataset('seed-xor.csv'), SEED);
    expect(withBias.record.model.inputs).toBe(2);
  });

  it('refuses a column the file does not have, in one sentence', async () => {
    const result = await runCli(['train', dataset('seed-xor.csv'), ...SEED, '--keep-constant', 'bias', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.join('\n')).toMatch(/has no column "bias"\. Its columns are: "x1", "x2", "x3", "y"\./);
  });
});

describe('nnlab train warns of designs that cannot work', () => {
  it('1,999 features against 36 training rows, and a class with 2 rows', async () => {
    const file = join(home.dir, 'wide.csv');
    const header = [...range(1999).map((c) => `f${c + 1}`), 'y'].join(',');
    const lines = range(60).map((r) => [...range(1999).map((c) => ((r * 7919 + c * 104729) % 1000) / 10), r % 2 ? 'a' : 'b'].join(','));
    writeFileSync(file, [header, ...lines].join('\n') + '\n');
    const wide = await train(file, ['--layers', '4', '--epochs', '2']);
    expect(wide.json.warnings).toContain('There are more inputs than training rows (1,999 feature columns against 36 training rows): a network can then fit every training row exactly and still predict new rows badly. Leave out the columns that matter least, or use more rows.');

    const rare = join(home.dir, 'rare.csv');
    writeFileSync(rare, ['x1,x2,y', ...range(40).map((r) => `${r % 7},${(r * 13) % 11},${r < 2 ? 'rare' : r % 2 ? 'a' : 'b'}`)].join('\n') + '\n');
    const rareRun = await train(rare, ['--layers', '4', '--epochs', '2']);
    expect(rareRun.json.warnings).toContain('Class "rare" of "y" has only 2 rows: too few to learn it, or to give it a row among the training, validation and test rows each. Add rows of that class, or leave them out of the file.');
  });
});

describe('nnlab inspect --keep-constant', () => {
  it('shows the kept constant as a feature, with the note', async () => {
    const result = await runCli(['inspect', dataset('seed-xor.csv'), '--keep-constant', 'x3', '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const summary = lastJson<{ columns: { name: string; role: string }[]; warnings: string[] }>(result);
    expect(summary.columns.find((c) => c.name === 'x3')!.role).toBe('feature');
    expect(summary.warnings).toContain('Column "x3" has only one value and is kept as an input on request: a constant tells no rows apart, so it is usually left out; in a network without biases it plays the bias, as in the seed.');
  });
});
