import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRecordSchema, type RunRecord } from '../../common/run-record';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

interface SweepJson {
  sweep: { id: string; name: string };
  seeds: number[];
  metrics: Record<string, { mean: number; sd: number | null }>;
  runs: { run: string; seed: number; index: number; status: string; metrics: Record<string, number> }[];
}

interface CompareJson {
  metric: string;
  a: { id: string; mean: number };
  b: { id: string; mean: number };
  seeds: number[];
  pairs: { seed: number; a: { run: string; value: number }; b: { run: string; value: number } }[];
  mean_difference: number;
  t: number | null;
  df: number;
  p: number;
  better: string | null;
  sentence: string;
}

const readRecord = (id: string): RunRecord => runRecordSchema.parse(JSON.parse(readFileSync(join(home.dir, 'runs', id, 'run.json'), 'utf8')));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleSd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

async function sweep(args: string[]): Promise<SweepJson> {
  const result = await runCli(['sweep', dataset('iris.csv'), '--seeds', '3', '--epochs', '15', '--home', home.dir, '--json', ...args]);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  return lastJson<SweepJson>(result);
}

let small: SweepJson;
let large: SweepJson;

describe('nnlab sweep', () => {
  it('trains seeds 1 to 3 of one configuration and stores each run as one seed of the sweep', async () => {
    small = await sweep(['--layers', '2', '--name', 'narrow']);
    expect(small.sweep.name).toBe('narrow');
    expect(small.seeds).toEqual([1, 2, 3]);
    expect(small.runs.map((r) => r.seed)).toEqual([1, 2, 3]);
    for (const [i, run] of small.runs.entries()) {
      const record = readRecord(run.run);
      expect(record.seed).toBe(i + 1);
      expect(record.training.seed).toBe(i + 1);
      expect(record.sweep).toEqual({ id: small.sweep.id, name: 'narrow', index: i + 1, seeds: 3 });
      expect(record.model.layers.map((l) => l.units)).toEqual([2, 3]);
      expect(run.metrics['val.accuracy']).toBe(record.summary.val?.accuracy);
      expect(run.metrics['test.loss']).toBe(record.summary.test?.loss);
    }
    // Different seeds train different networks.
    expect(new Set(small.runs.map((r) => r.metrics['train.loss'])).size).toBe(3);
  });

  it('reports each metric’s mean and sample sd as computed from the runs’ own metrics', () => {
    for (const key of ['train.loss', 'val.loss', 'val.accuracy', 'test.accuracy']) {
      const values = small.runs.map((r) => r.metrics[key]!);
      expect(small.metrics[key]!.mean).toBeCloseTo(mean(values), 12);
      expect(small.metrics[key]!.sd).toBeCloseTo(sampleSd(values), 12);
    }
  });

  it('starts from --seed when it is given', async () => {
    large = await sweep(['--layers', '16', '--lr', '0.05', '--seed', '1', '--name', 'wide']);
    expect(large.seeds).toEqual([1, 2, 3]);
    const shifted = await sweep(['--layers', '2', '--seed', '7']);
    expect(shifted.seeds).toEqual([7, 8, 9]);
    expect(shifted.sweep.name).toBe('iris 3 seeds');
  });

  it('prints the mean ± sd table without --json', async () => {
    const result = await runCli(['sweep', dataset('iris.csv'), '--seeds', '2', '--epochs', '5', '--home', home.dir]);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const text = result.stdout.join('\n');
    expect(text).toMatch(/Sweep \S+ · iris 2 seeds · seeds 1 to 2/);
    expect(text).toMatch(/validation accuracy/);
    expect(text).toMatch(/mean ± sample standard deviation \(n − 1\) of the final metrics over 2 seeds/);
  });

  it('refuses a number of seeds out of range in one sentence', async () => {
    const result = await runCli(['sweep', dataset('iris.csv'), '--seeds', '1', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    expect(result.stderr.join('\n')).toMatch(/--seeds takes a whole number from 2 to 100/);
    expect(result.stderr.join('\n')).not.toMatch(/ at /);
  });
});

describe('nnlab sweep compare', () => {
  it('pairs two sweeps by seed and gives the paired t-test of the difference B − A', async () => {
    const result = await runCli(['sweep', 'compare', small.sweep.id, large.sweep.id, '--metric', 'train.loss', '--home', home.dir, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const out = lastJson<CompareJson>(result);
    expect(out.metric).toBe('train.loss');
    expect(out.seeds).toEqual([1, 2, 3]);
    const differences = out.pairs.map((p) => p.b.value - p.a.value);
    expect(out.pairs.map((p) => p.a.value)).toEqual(small.runs.map((r) => r.metrics['train.loss']));
    expect(out.pairs.map((p) => p.b.value)).toEqual(large.runs.map((r) => r.metrics['train.loss']));
    expect(out.mean_difference).toBeCloseTo(mean(differences), 12);
    expect(out.df).toBe(2);
    expect(out.t).toBeCloseTo(mean(differences) / (sampleSd(differences) / Math.sqrt(3)), 9);
    expect(out.p).toBeGreaterThan(0);
    expect(out.p).toBeLessThanOrEqual(1);
    expect(out.sentence).toMatch(/paired t-test over 3 seeds, p [=<] /);
    expect(out.sentence).toMatch(out.better === null ? /^No clear difference between narrow and wide on training loss/ : /is better on training loss by/);
  });

  it('compares on the validation accuracy unless told, in words as well as numbers', async () => {
    const result = await runCli(['sweep', 'compare', small.sweep.id, large.sweep.id, '--home', home.dir]);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const text = result.stdout.join('\n');
    expect(text).toMatch(/A: narrow .* B: wide .* validation accuracy, paired by seed/);
    expect(text).toMatch(/t = .* df = 2 .* two-sided p = /);
    expect(text).toMatch(/(is better on validation accuracy by|No clear difference between narrow and wide on validation accuracy)/);
  });

  it('says so in one sentence when a sweep is not in the lab or a metric is unknown', async () => {
    const missing = await runCli(['sweep', 'compare', small.sweep.id, 'nope', '--home', home.dir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.join('\n')).toMatch(/^nnlab: there is no sweep nope in the lab folder/);
    const metric = await runCli(['sweep', 'compare', small.sweep.id, large.sweep.id, '--metric', 'r2', '--home', home.dir]);
    expect(metric.code).toBe(1);
    expect(metric.stderr.join('\n')).toMatch(/the sweeps have no metric r2; --metric takes one of .*val\.accuracy/);
  });
});
