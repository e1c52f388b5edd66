import { afterAll, describe, expect, it } from 'vitest';
import { TrainingSession } from '../../main/lab/training-session';
import { dataset, tempHome } from '../support/cli';
import { launcher, request } from './session-helpers';

const home = tempHome();
afterAll(home.cleanup);

/** XOR's four rows as the run sees them (no scaling, every row in training). */
const ROWS = [[0, 0], [0, 1], [1, 0], [1, 1]];

describe('the live snapshot’s activation statistics', () => {
  it('are absent before the first mini-batch, then match a forward pass of the last batch through the snapshot’s weights', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('xor.csv'), {
      layers: [3], activation: 'relu', batch: 'full', val: 0, test: 0, standardize: false, epochs: 1000, optimizer: 'sgd', learningRate: 0.5, seed: 4,
    }));
    const before = await session.snapshot();
    expect(before.layers.every((l) => l.stats === undefined)).toBe(true);

    await session.step(3);
    const { layers } = await session.snapshot();
    const hidden = layers[0]!;
    expect(hidden.stats?.rows).toBe(4);
    // The whole table is the batch, so its order does not matter to the figures.
    const z = ROWS.map((x) => Array.from({ length: 3 }, (_, u) => hidden.bias![u]! + x[0]! * hidden.weights[u]! + x[1]! * hidden.weights[3 + u]!));
    const a = z.map((row) => row.map((v) => Math.max(0, v)));
    for (let u = 0; u < 3; u++) {
      const column = a.map((row) => row[u]!);
      expect(hidden.stats!.mean[u]).toBeCloseTo(column.reduce((s, v) => s + v, 0) / 4, 5);
      expect(hidden.stats!.min[u]).toBeCloseTo(Math.min(...column), 5);
      expect(hidden.stats!.max[u]).toBeCloseTo(Math.max(...column), 5);
      expect(hidden.stats!.active[u]).toBe(z.filter((row) => row[u]! > 0).length / 4);
    }
    const output = layers[1]!;
    const p = a.map((row) => 1 / (1 + Math.exp(-(output.bias![0]! + row.reduce((s, v, u) => s + v * output.weights[u]!, 0)))));
    expect(output.stats!.mean[0]).toBeCloseTo(p.reduce((s, v) => s + v, 0) / 4, 5);
    await session.stop();
    await session.exited;
  });
});
