import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);
let irisModel = '';
let seedModel = '';

beforeAll(async () => {
  const iris = await runCli(['train', dataset('iris.csv'), '--home', home.dir, '--json']);
  irisModel = lastJson<{ model: string }>(iris).model;
  const seed = await runCli(['train', dataset('seed-xor.csv'), '--layers', '4', '--activation', 'sigmoid', '--loss', 'sse', '--optimizer', 'sgd',
    '--lr', '1', '--epochs', '1500', '--batch', 'full', '--init', 'uniform', '--no-bias', '--no-standardize', '--val', '0', '--test', '0', '--early-stop', '0', '--schedule', 'constant', '--home', home.dir, '--json']);
  seedModel = lastJson<{ model: string }>(seed).model;
});

describe('nnlab predict', () => {
  it('writes every input row with the prediction and one probability per class', async () => {
    const out = join(home.dir, 'iris-predictions.csv');
    const result = await runCli(['predict', irisModel, dataset('iris.csv'), '--out', out]);
    expect(result.code, result.stderr.join('\n')).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(150);
    expect(Object.keys(rows[0]!)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species', 'prediction', 'prob_setosa', 'prob_versicolor', 'prob_virginica']);
    for (const row of rows) {
      const probabilities = [row.prob_setosa, row.prob_versicolor, row.prob_virginica].map(Number);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const best = ['setosa', 'versicolor', 'virginica'][probabilities.indexOf(Math.max(...probabilities))];
      expect(row.prediction).toBe(best);
    }
    const correct = rows.filter((r) => r.prediction === r.species).length;
    expect(correct / rows.length).toBeGreaterThan(0.9);
  });

  it('shows the seed network’s predictions after 1500 iterations, as the tutorial does', async () => {
    const result = await runCli(['predict', seedModel, dataset('seed-xor.csv')]);
    expect(result.code).toBe(0);
    const rows = parse(result.stdout.join('\n'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.prediction)).toEqual(['0', '1', '1', '0']);
    for (const row of rows) {
      const p = Number(row.prob_1);
      expect(Math.abs(p - Number(row.y))).toBeLessThan(0.1);
    }
  });

  it('predicts rows without the target column, and says which columns it does not use', async () => {
    const file = join(home.dir, 'new-flowers.csv');
    writeFileSync(file, 'petal_width,sepal_length,sepal_width,petal_length,note\n0.2,5.1,3.5,1.4,first\n2.3,6.9,3.1,5.4,second\n');
    const result = await runCli(['predict', irisModel, file]);
    expect(result.code).toBe(0);
    const rows = parse(result.stdout.join('\n'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.prediction)).toEqual(['setosa', 'virginica']);
    expect(result.stderr.join('\n')).toMatch(/not used by the model: "note"/);
  });

  it('refuses a file that lacks a column the model needs, naming it', async () => {
    const file = join(home.dir, 'partial.csv');
    writeFileSync(file, 'sepal_length,sepal_width\n5.1,3.5\n');
    const result = await runCli(['predict', irisModel, file]);
    expect(result.code).toBe(1);
    expect(result.stderr.join('\n')).toMatch(/lacks columns the model needs: "petal_length", "petal_width"/);
  });

  it('refuses a file that is not a model', async () => {
    const result = await runCli(['predict', dataset('iris.csv'), dataset('iris.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr.join('\n')).toMatch(/not an nnlab model file/);
  });

  it('refuses --out naming a folder with one plain sentence', async () => {
    const result = await runCli(['predict', irisModel, dataset('iris.csv'), '--out', home.dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([`nnlab: ${home.dir} is a folder: give --out a file name, such as ${join(home.dir, 'predictions.csv')}.`]);
  });
});
