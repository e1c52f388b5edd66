import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoundaryData } from '../../common/boundary-data';
import { runBoundaryData } from '../../main/training/run-boundary';
import { RunStore } from '../../main/store/run-store';
import { dataset, lastJson, runCli, tempHome } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

async function trained(file: string, target: string): Promise<BoundaryData> {
  const result = await runCli(['train', dataset(file), '--target', target, '--epochs', '1', '--home', home.dir, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  return runBoundaryData(new RunStore(home.dir), lastJson<{ run: string }>(result).run);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

describe('the rows of a decision boundary', () => {
  let iris: BoundaryData;
  let penguins: BoundaryData;

  beforeAll(async () => {
    iris = await trained('iris.csv', 'species');
    penguins = await trained('penguins.csv', 'Species');
  });

  it('sends every training and test row of a small set, and none of the validation rows', () => {
    expect(iris.rows.length).toBe(iris.total.training + iris.total.heldBack);
    expect(iris.rows.filter((r) => r.split === 'training')).toHaveLength(iris.total.training);
    expect(iris.rows.filter((r) => r.split === 'test')).toHaveLength(iris.total.heldBack);
    // 150 flowers: a fifth tested, some validated, the rest trained on.
    expect(iris.total.heldBack).toBe(30);
    expect(iris.total.training).toBeLessThan(120);
    expect(new Set(iris.rows.map((r) => r.label))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
    expect(iris.axes.map((a) => a.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  });

  it('holds each measurement at the median of the training rows, in its own units', () => {
    const training = iris.rows.filter((r) => r.split === 'training');
    iris.axes.forEach((axis, k) => {
      const raw = training.map((r) => r.x[axis.input]! * axis.std + axis.mean);
      expect(iris.heldValues[k]!.value as number).toBeCloseTo(median(raw), 5);
    });
  });

  it('holds a category at the one most training rows have, with one-hot inputs to match', () => {
    const island = penguins.heldValues.find((h) => h.column === 'Island')!;
    const training = penguins.rows.filter((r) => r.split === 'training');
    const counts = island.inputs.map((i) => training.filter((r) => r.x[i] === 1).length);
    const best = counts.indexOf(Math.max(...counts));
    expect(penguins.inputs[island.inputs[best]!]).toBe(`Island=${String(island.value)}`);
    expect(island.inputs.map((i) => penguins.held[i])).toEqual(counts.map((_, k) => (k === best ? 1 : 0)));
    // Categories are never an axis.
    expect(penguins.axes.some((a) => a.name.includes('='))).toBe(false);
  });

  it('fits the principal plane on the scaled training inputs: two orthonormal directions, most variance first', () => {
    for (const data of [iris, penguins]) {
      const [v1, v2] = data.pca!.components as [number[], number[]];
      const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
      expect(dot(v1, v1)).toBeCloseTo(1, 10);
      expect(dot(v2, v2)).toBeCloseTo(1, 10);
      expect(dot(v1, v2)).toBeCloseTo(0, 10);
      const [e1, e2] = data.pca!.explained as [number, number];
      expect(e1).toBeGreaterThanOrEqual(e2);
      expect(e1 + e2).toBeLessThanOrEqual(1 + 1e-12);
      // Centred on the training rows (all of them are sent for a set this small), not on the test rows.
      const training = data.rows.filter((r) => r.split === 'training');
      data.pca!.mean.forEach((m, i) => expect(m).toBeCloseTo(training.reduce((s, r) => s + r.x[i]!, 0) / training.length, 5));
    }
    // Iris's four standardised measurements: the first component holds about 73% of their variance.
    expect(iris.pca!.explained[0]).toBeGreaterThan(0.65);
    expect(iris.pca!.explained[0]).toBeLessThan(0.8);
  });
});
