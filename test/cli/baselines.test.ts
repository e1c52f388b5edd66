import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toyCsv, toyDataset } from '../../engine/data/toy-datasets';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

type Scores = Record<string, number | null>;
type Splits = { train: Scores | null; val: Scores | null; test: Scores | null };
type TrainJson = Splits & { run: string; baselines: Record<string, Splits | null> };

async function train(args: string[]): Promise<{ json: TrainJson; text: string[] }> {
  const json = await runCli(['train', ...args, '--home', home.dir, '--json']);
  expect(json.code, json.stderr.join('\n')).toBe(0);
  const text = await runCli(['train', ...args, '--home', home.dir]);
  expect(text.code, text.stderr.join('\n')).toBe(0);
  return { json: lastJson<TrainJson>(json), text: text.stdout };
}

describe('baselines on the command line', () => {
  it('are printed beside the network: rows of the table, a verdict, --json baselines and run.json', async () => {
    const { json, text } = await train([dataset('iris.csv'), '--epochs', '40', '--early-stop', '0']);
    expect(Object.keys(json.baselines)).toEqual(['majority', 'linear']);
    for (const model of [json.baselines.majority!, json.baselines.linear!]) {
      expect(Object.keys(model)).toEqual(['train', 'val', 'test']);
      // Each split in the shape of the network's own.
      for (const split of ['train', 'val', 'test'] as const) expect(Object.keys(model[split]!)).toEqual(Object.keys(json[split]!));
    }
    expect(json.baselines.majority!.test!.accuracy).toBeCloseTo(1 / 3, 10);
    const record = JSON.parse(readFileSync(join(home.dir, 'runs', json.run, 'run.json'), 'utf8'));
    // run.json keeps them with its own (camelCase) keys.
    expect(record.summary.baselines.constant).toMatchObject({ name: 'majority', test: { loss: json.baselines.majority!.test!.loss, accuracy: json.baselines.majority!.test!.accuracy, balancedAccuracy: json.baselines.majority!.test!.balanced_accuracy } });
    expect(record.summary.baselines.linear).toMatchObject({ test: { loss: json.baselines.linear!.test!.loss, accuracy: json.baselines.linear!.test!.accuracy }, epochs: 40, itself: false });

    const row = (label: string) => text.find((line) => line.startsWith(label));
    expect(row('majority baseline, test')).toMatch(/^majority baseline, test\s+1\.0986\s+33\.3%$/);
    expect(row('linear baseline, test')).toMatch(/^linear baseline, test\s+\d\.\d{4}\s+\d+\.\d%$/);
    expect(text.some((line) => /^The network (beats|does no better than) the linear baseline on the test rows/.test(line))).toBe(true);

    const shown = await runCli(['runs', 'show', json.run, '--home', home.dir]);
    expect(shown.stdout.some((line) => line.startsWith('majority baseline, test'))).toBe(true);
    expect(shown.stdout.some((line) => line.startsWith('linear baseline, test'))).toBe(true);
  });

  it('say when the network does no better than a linear model, and when it does', async () => {
    // Separate blobs: a line tells them apart, so the network and the linear model get every test row right.
    const blobsFile = join(home.dir, 'blobs.csv');
    writeFileSync(blobsFile, toyCsv(toyDataset('blobs')));
    const blobs = await train([blobsFile]);
    expect(blobs.json.test!.accuracy).toBe(1);
    expect(blobs.json.baselines.linear!.test!.accuracy).toBe(1);
    expect(blobs.text.some((line) => line.startsWith('The network does no better than the linear baseline on the test rows'))).toBe(true);

    const file = join(home.dir, 'xor-clusters.csv');
    writeFileSync(file, toyCsv(toyDataset('xor-clusters')));
    const xor = await train([file, '--layers', '8', '--activation', 'tanh', '--epochs', '150']);
    expect(xor.json.test!.accuracy).toBeGreaterThan(0.9);
    expect(xor.json.baselines.linear!.test!.accuracy).toBeLessThan(0.7);
    expect(xor.text.some((line) => line.startsWith('The network beats the linear baseline on the test rows'))).toBe(true);
  });

  it('name the mean for a number, and a network with no hidden layer as its own linear baseline', async () => {
    const { json, text } = await train([dataset('penguins.csv'), '--target', 'Body Mass (g)', '--layers', 'none', '--epochs', '20']);
    expect(Object.keys(json.baselines)).toEqual(['mean', 'linear']);
    expect(Object.keys(json.baselines.mean!.test!)).toEqual(['loss', 'rmse', 'mae', 'r2']);
    expect(json.baselines.linear).toEqual({ train: json.train, val: json.val, test: json.test });
    expect(text).toContain('The network has no hidden layer: it is the linear baseline itself.');
    expect(text.some((line) => line.startsWith('mean baseline, test'))).toBe(true);
    expect(text.some((line) => line.startsWith('linear baseline'))).toBe(false);
  });
});
