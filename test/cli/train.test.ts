import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataset, lastJson, runCli, tempHome, writePrices } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

interface TrainJson {
  run: string;
  status: string;
  task: string;
  epochs: number;
  train: { loss: number; accuracy?: number; rmse?: number; r2?: number };
  val: { loss: number; accuracy?: number } | null;
  test: { loss: number; accuracy?: number; rmse?: number; r2?: number } | null;
  samples_per_s: number;
  model: string;
  warnings: string[];
}

async function train(args: string[]): Promise<TrainJson> {
  const result = await runCli(['train', ...args, '--home', home.dir, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  return lastJson<TrainJson>(result);
}

describe('nnlab train', () => {
  it('learns iris with default options and keeps the run on disk', async () => {
    const out = await train([dataset('iris.csv')]);
    expect(out.task).toBe('multiclass');
    expect(out.status).toBe('finished');
    expect(out.test!.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(out.samples_per_s).toBeGreaterThan(0);
    const runDir = join(home.dir, 'runs', out.run);
    const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ id: out.run, status: 'finished', task: 'multiclass', dataset: { target: 'species', rows: 150 } });
    expect(record.dataset.sha256).toMatch(/^[0-9a-f]{64}$/);
    const metricLines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(metricLines).toHaveLength(out.epochs);
    expect(JSON.parse(metricLines[0]!)).toMatchObject({ epoch: 1 });
    expect(out.model).toBe(join(runDir, 'model.json'));
    expect(existsSync(out.model)).toBe(true);
  });

  it('learns penguins (text categories, NA cells) with default options, predicting the last column', async () => {
    const out = await train([dataset('penguins.csv')]);
    expect(out.task).toBe('binary');
    expect(out.test!.accuracy).toBeGreaterThanOrEqual(0.85);
    expect(out.warnings.join(' ')).toMatch(/11 rows without a value for the target "Sex"/);
  });

  it('learns the penguin species almost perfectly', async () => {
    const out = await train([dataset('penguins.csv'), '--target', 'Species']);
    expect(out.task).toBe('multiclass');
    expect(out.test!.accuracy).toBeGreaterThanOrEqual(0.95);
    // 11 of 344 rows is under the 5 % that the default 'auto' leaves out.
    expect(out.warnings).toContain('11 of 344 rows have missing feature values (3.2 %), no more than 5 %, so they were left out; use --missing-policy impute to fill them in instead.');
  });

  it('reproduces the seed network: 3-4-1 sigmoid, no bias, sum of squares, full batch, lr 1, 1500 iterations', async () => {
    const out = await train([
      dataset('seed-xor.csv'), '--layers', '4', '--activation', 'sigmoid', '--loss', 'sse', '--optimizer', 'sgd', '--lr', '1',
      '--epochs', '1500', '--batch', 'full', '--init', 'uniform', '--no-bias', '--no-standardize', '--val', '0', '--test', '0',
      // The tutorial trains every one of its iterations at one rate.
      '--early-stop', '0', '--schedule', 'constant',
    ]);
    expect(out.epochs).toBe(1500);
    expect(out.val).toBeNull();
    expect(out.test).toBeNull();
    expect(out.train.accuracy).toBe(1);
    expect(out.train.loss).toBeLessThan(0.05);
    const losses = readFileSync(join(home.dir, 'runs', out.run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).train.loss as number);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]!);
    const model = JSON.parse(readFileSync(out.model, 'utf8'));
    expect(model.architecture).toMatchObject({ inputs: 3, bias: false, loss: 'sse', init: 'uniform' });
    expect(model.layers.map((l: { weights: { shape: number[] } }) => l.weights.shape)).toEqual([[3, 4], [4, 1]]);
  });

  it('predicts numbers (regression) and reports RMSE in the target’s own units', async () => {
    const out = await train([writePrices(home.dir), '--epochs', '300']);
    expect(out.task).toBe('regression');
    expect(out.test!.r2).toBeGreaterThan(0.98);
    // The target spans about 2,000; an RMSE in standardised units would be far below 1.
    expect(out.test!.rmse).toBeGreaterThan(1);
    expect(out.test!.rmse).toBeLessThan(60);
  });

  it('tests on a supplied file, with the preprocessing fitted on the training file only', async () => {
    const lines = readFileSync(dataset('iris.csv'), 'utf8').trim().split('\n');
    const trainFile = join(home.dir, 'iris-train.csv');
    const testFile = join(home.dir, 'iris-test.csv');
    writeFileSync(trainFile, [lines[0], ...lines.slice(1).filter((_, i) => i % 3 !== 0)].join('\n'));
    writeFileSync(testFile, [lines[0], ...lines.slice(1).filter((_, i) => i % 3 === 0)].join('\n'));
    const out = await train([trainFile, '--test-file', testFile, '--val', '0.2']);
    expect(out.test!.accuracy).toBeGreaterThanOrEqual(0.9);
    const record = JSON.parse(readFileSync(join(home.dir, 'runs', out.run, 'run.json'), 'utf8'));
    expect(record.dataset.splits.test).toBe(50);
    expect(record.dataset.testPath).toBe(testFile);
    // The scaling must come from training rows, never from the test file.
    const sepal = record.preprocessing.features.find((f: { column: string }) => f.column === 'sepal_length');
    const trainValues = lines.slice(1).filter((_, i) => i % 3 !== 0).map((l) => Number(l.split(',')[0]));
    const testValues = lines.slice(1).filter((_, i) => i % 3 === 0).map((l) => Number(l.split(',')[0]));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(sepal.mean - mean(trainValues))).toBeLessThan(0.2);
    expect(sepal.mean).not.toBeCloseTo(mean([...trainValues, ...testValues]), 6);
  });

  it('replays a run bit for bit from the same seed', async () => {
    const a = await train([dataset('iris.csv'), '--seed', '7', '--epochs', '20']);
    const b = await train([dataset('iris.csv'), '--seed', '7', '--epochs', '20']);
    const c = await train([dataset('iris.csv'), '--seed', '8', '--epochs', '20']);
    const metrics = (run: string) => readFileSync(join(home.dir, 'runs', run, 'metrics.jsonl'), 'utf8');
    const weights = (path: string) => JSON.stringify(JSON.parse(readFileSync(path, 'utf8')).layers);
    expect(metrics(b.run)).toBe(metrics(a.run));
    expect(weights(b.model)).toBe(weights(a.model));
    expect(weights(c.model)).not.toBe(weights(a.model));
  });
});

describe('nnlab train with a learning rate that blows up in the first epoch', () => {
  /** The saved model's weights and biases, decoded from their float32 bytes. */
  const modelParameters = (path: string): number[] => {
    const model = JSON.parse(readFileSync(path, 'utf8')) as { layers: { weights: { data: string }; bias?: { data: string } }[] };
    return model.layers.flatMap((layer) => [layer.weights, ...(layer.bias ? [layer.bias] : [])]).flatMap((tensor) => {
      const bytes = Buffer.from(tensor.data, 'base64');
      return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    });
  };

  it('ends diverged, exits non-zero, says what to try and keeps the initial weights', async () => {
    const reproductions: [string[], string][] = [
      [['--lr', '100'], '10'],
      [['--lr', '1e6'], '100000'],
      [['--lr', '100', '--optimizer', 'sgd'], '10'],
      [['--lr', '1e6', '--activation', 'sigmoid', '--loss', 'mse', '--optimizer', 'sgd'], '100000'],
    ];
    for (const [flags, lower] of reproductions) {
      const result = await runCli(['train', dataset('iris.csv'), ...flags, '--home', home.dir, '--json']);
      const out = lastJson<TrainJson & { message: string }>(result);
      expect(result.code, flags.join(' ')).toBe(1);
      expect(out.status).toBe('diverged');
      expect(out.epochs).toBeLessThanOrEqual(1);
      expect(out.message).toMatch(new RegExp(`Kept the initial weights; try a learning rate of ${lower} or lower\\.$`));
      const parameters = modelParameters(out.model);
      expect(parameters.every(Number.isFinite)).toBe(true);
      expect(Math.max(...parameters.map(Math.abs))).toBeLessThan(10);
      expect(JSON.parse(readFileSync(join(home.dir, 'runs', out.run, 'run.json'), 'utf8')).status).toBe('diverged');
    }
  });
});

describe('nnlab train refuses bad input with one plain sentence', () => {
  const cases: [string, string[], RegExp][] = [
    ['a missing file', ['nowhere.csv'], /nowhere\.csv does not exist/],
    ['an unknown target', [dataset('iris.csv'), '--target', 'colour'], /has no column "colour".*"species"/],
    ['a negative learning rate', [dataset('iris.csv'), '--lr', '-1'], /--lr.*expected a number above 0/],
    ['a bad layer list', [dataset('iris.csv'), '--layers', '16,x'], /neuron counts separated by commas/],
    ['fractions that leave no training rows', [dataset('iris.csv'), '--val', '0.6', '--test', '0.5'], /add up to less than 1/],
    ['an unknown activation', [dataset('iris.csv'), '--activation', 'swish'], /expected one of sigmoid, tanh, relu/],
    ['softmax cross-entropy for two classes', [dataset('xor.csv'), '--loss', 'softmax_ce'], /needs three classes or more/],
    ['regression on text', [dataset('iris.csv'), '--task', 'regression'], /not numeric/],
    ['ignoring the target', [dataset('iris.csv'), '--ignore', 'species'], /"species" is the column to predict, so it cannot also be ignored/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const result = await runCli(['train', ...args, '--home', home.dir]);
      expect(result.code).not.toBe(0);
      const text = result.stderr.join('\n');
      expect(text).toMatch(message);
      expect(text).not.toMatch(/\n\s+at /);
    });
  }
});

describe('a lab folder that cannot hold runs', () => {
  it.each([
    ['a folder that cannot be made (under /proc)', '/proc/nnlab', /a folder cannot be made there/],
    ['a path through a file', 'FILE/lab', /part of that path is a file, not a folder/],
  ])('is refused in one sentence: %s', async (_what, folder, why) => {
    const file = join(home.dir, 'a-file');
    writeFileSync(file, '');
    const where = folder.replace('FILE', file);
    const result = await runCli(['train', dataset('iris.csv'), '--epochs', '2', '--home', where]);
    expect(result.code).toBe(1);
    expect(result.stderr.join('\n')).toMatch(new RegExp(`^nnlab: The lab folder ${where.replace(/[/.]/g, '\\$&')} cannot be used: `));
    expect(result.stderr.join('\n')).toMatch(why);
    expect(result.stderr.join('\n')).toMatch(/Choose another with --home or NNLAB_HOME\.$/);
  });
});

describe('help', () => {
  it('documents every train option', async () => {
    const result = await runCli(['train', '--help']);
    expect(result.code).toBe(0);
    const text = result.stdout.join('\n');
    for (const option of ['--target', '--layers', '--activation', '--loss', '--optimizer', '--lr', '--epochs', '--batch', '--init', '--l2',
      '--seed', '--val', '--test', '--test-file', '--early-stop', '--no-bias', '--task', '--kernels', '--missing-policy', '--home', '--json']) {
      expect(text).toContain(option);
    }
  });

  it('lists the commands', async () => {
    const result = await runCli(['--help']);
    expect(result.stdout.join('\n')).toMatch(/train[\s\S]*predict/);
  });
});
