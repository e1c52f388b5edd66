import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../engine';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

interface HealthJson {
  run: string;
  health: { kind: string; layer?: number; message: string }[];
}

/** 400 rows: a feature of scale 1, one of scale 5000 (an area in m²), and a 95/5 target. */
function badCsv(): string {
  const rng = new Random(7);
  const rows = Array.from({ length: 400 }, (_, i) => `${rng.normal().toFixed(4)},${(5000 + 1000 * rng.normal()).toFixed(1)},${i % 20 === 0 ? 'rare' : 'common'}`);
  const path = join(home.dir, 'lopsided.csv');
  writeFileSync(path, ['x,area,label', ...rows].join('\n'));
  return path;
}

describe('nnlab train: training health', () => {
  it('has a health key in --json, empty for a healthy run', async () => {
    const result = await runCli(['train', dataset('iris.csv'), '--epochs', '5', '--home', home.dir, '--json']);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    expect(lastJson<HealthJson>(result).health).toEqual([]);
    expect(result.stdout.join('\n')).not.toContain('Training health');
  });

  it('warns of unscaled inputs and an imbalanced target, naming the flags to change, in --json and in its report', async () => {
    const csv = badCsv();
    const json = await runCli(['train', csv, '--epochs', '3', '--no-standardize', '--home', home.dir, '--json']);
    expect(json.code, json.stderr.join('\n')).toBe(0);
    const health = lastJson<HealthJson>(json).health;
    expect(health.map((w) => w.kind)).toEqual(expect.arrayContaining(['unscaled-inputs', 'imbalanced-target']));
    expect(health.find((w) => w.kind === 'unscaled-inputs')?.message).toMatch(/area \(about 5100\).*leave out --no-standardize\.$/);
    expect(health.find((w) => w.kind === 'imbalanced-target')?.message).toMatch(/class “rare” is 5 % of the training rows.*use --class-weight balanced\.$/);
    const text = await runCli(['train', csv, '--epochs', '3', '--no-standardize', '--home', home.dir]);
    expect(text.stdout).toContain('Training health:');
    expect(text.stdout.some((line) => /^ {2}unscaled-inputs: The inputs are not standardised/.test(line))).toBe(true);
    // Standardised and weighted, the same data raises neither.
    const fixed = await runCli(['train', csv, '--epochs', '3', '--class-weight', 'balanced', '--home', home.dir, '--json']);
    const kinds = lastJson<HealthJson>(fixed).health.map((w) => w.kind);
    expect(kinds).not.toContain('unscaled-inputs');
    expect(kinds).not.toContain('imbalanced-target');
  });

  it('keeps the final health with its histograms in the run record', async () => {
    const result = await runCli(['train', dataset('iris.csv'), '--epochs', '4', '--home', home.dir, '--json']);
    const { run } = lastJson<HealthJson>(result);
    const record = JSON.parse(readFileSync(join(home.dir, 'runs', run, 'run.json'), 'utf8')) as {
      summary: { health: { epoch: number; layers: { activation: string; units: number }[]; history: { epoch: number; layers: { weights: { counts: number[] } }[] }[] } };
    };
    const { health } = record.summary;
    expect(health.epoch).toBe(4);
    expect(health.history.at(-1)!.epoch).toBe(4);
    // iris: 4 inputs → the default hidden layers → 3 classes; every weight counted once in its layer's histogram.
    const last = health.history.at(-1)!.layers;
    expect(last).toHaveLength(health.layers.length);
    expect(last[0]!.weights.counts.reduce((a, b) => a + b)).toBe(4 * health.layers[0]!.units);
  });
});
