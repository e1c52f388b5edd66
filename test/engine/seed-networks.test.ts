import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Trainer, type NetworkSpec, type TrainConfig } from '../../engine';
import { testConfig } from '../support/train-config';

/** The source tutorial's 4-row table: x1, x2, x3 (always 1, standing in for a bias), y = x1 XOR x2. */
function seedTable() {
  const lines = readFileSync(new URL('../../datasets/seed-xor.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
  const rows = lines.map((l) => l.split(',').map(Number));
  return {
    x: Float32Array.from(rows.flatMap((r) => r.slice(0, 3))),
    y: Float32Array.from(rows.map((r) => r[3]!)),
    rows: rows.length,
  };
}

const fullBatchSgd = (epochs: number, learningRate: number, seed: number): TrainConfig =>
  testConfig({ epochs, batchSize: 'full', learningRate, shuffle: false, seed });

describe('seed network 1: the 2-layer sigmoid network of the tutorial', () => {
  const spec: NetworkSpec = {
    inputs: 3,
    layers: [{ units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
    bias: false,
    loss: 'sse',
    init: 'uniform',
  };

  it('learns the table in 1500 iterations with the loss falling monotonically', () => {
    const table = seedTable();
    const trainer = new Trainer(spec, { train: table, metric: { kind: 'classification' } }, fullBatchSgd(1500, 1, 1));
    const history = trainer.run();
    expect(history).toHaveLength(1500);
    expect(trainer.steps).toBe(1500);
    const losses = history.map((h) => h.train.loss);
    for (let i = 1; i < losses.length; i++) expect(losses[i]).toBeLessThan(losses[i - 1]!);
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[1499]).toBeLessThan(0.05);
    const predictions = new Float32Array(4);
    trainer.network.predict(table.x, 4, predictions);
    expect(Array.from(predictions, Math.round)).toEqual([0, 1, 1, 0]);
    expect(history[1499]!.train.accuracy).toBe(1);
  });

  it('is exactly the tutorial’s update: weights += layer1ᵀ·(2(y−ŷ)·ŷ(1−ŷ)) and the chain rule below it', () => {
    const table = seedTable();
    const trainer = new Trainer(spec, { train: table, metric: { kind: 'classification' } }, fullBatchSgd(1, 1, 7));
    const [layer1, layer2] = trainer.network.layers as [typeof trainer.network.layers[0], typeof trainer.network.layers[0]];
    const w1 = Array.from(layer1.weights);
    const w2 = Array.from(layer2.weights);
    // The tutorial's feedforward and backprop, written out in plain numbers.
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const hidden = [0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((j) => sig([0, 1, 2].reduce((s, i) => s + table.x[r * 3 + i]! * w1[i * 4 + j]!, 0))));
    const output = hidden.map((h) => sig(h.reduce((s, v, j) => s + v * w2[j]!, 0)));
    const delta2 = output.map((o, r) => 2 * (table.y[r]! - o) * o * (1 - o));
    const dW2 = [0, 1, 2, 3].map((j) => hidden.reduce((s, h, r) => s + h[j]! * delta2[r]!, 0));
    const dW1 = [0, 1, 2].flatMap((i) => [0, 1, 2, 3].map((j) =>
      hidden.reduce((s, h, r) => s + table.x[r * 3 + i]! * delta2[r]! * w2[j]! * h[j]! * (1 - h[j]!), 0)));
    trainer.step();
    Array.from(layer2.weights).forEach((w, j) => expect(w).toBeCloseTo(w2[j]! + dW2[j]!, 5));
    Array.from(layer1.weights).forEach((w, k) => expect(w).toBeCloseTo(w1[k]! + dW1[k]!, 5));
  });
});

describe('seed network 2: the general layer_dims network, bugs fixed', () => {
  /** A real binary task that no straight line solves: is an iris flower versicolor? (It lies between the other two.) */
  function versicolorTask() {
    const lines = readFileSync(new URL('../../datasets/iris.csv', import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const features = lines.map((l) => l.slice(0, 4).map(Number));
    const means = [0, 1, 2, 3].map((j) => features.reduce((s, r) => s + r[j]!, 0) / features.length);
    const sds = [0, 1, 2, 3].map((j) => Math.sqrt(features.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / features.length));
    const split = (keep: (i: number) => boolean) => {
      const idx = lines.map((_, i) => i).filter(keep);
      return {
        x: Float32Array.from(idx.flatMap((i) => features[i]!.map((v, j) => (v - means[j]!) / sds[j]!))),
        y: Float32Array.from(idx.map((i) => (lines[i]![4] === 'versicolor' ? 1 : 0))),
        rows: idx.length,
      };
    };
    return { train: split((i) => i % 5 !== 0), test: split((i) => i % 5 === 0) };
  }

  it('keeps a cost history per epoch and learns a non-linear boundary', () => {
    // layer_dims = [4, 8, 4, 1]: sigmoid layers, normal × 0.01 weights, zero biases, binary cross-entropy,
    // plain gradient descent on the full batch.
    const spec: NetworkSpec = {
      inputs: 4,
      layers: [{ units: 8, activation: 'sigmoid' }, { units: 4, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }],
      bias: true,
      loss: 'bce',
      init: 'normal',
    };
    const { train, test } = versicolorTask();
    const trainer = new Trainer(spec, { train, metric: { kind: 'classification' } }, fullBatchSgd(3000, 2, 1));
    const history = trainer.run();
    expect(history).toHaveLength(3000);
    // Tiny initial weights make every output ≈ 0.5, so the first cost is ≈ log 2.
    expect(history[0]!.train.loss).toBeCloseTo(Math.log(2), 2);
    expect(history[2999]!.train.loss).toBeLessThan(0.1);
    expect(trainer.evaluate(test).accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
