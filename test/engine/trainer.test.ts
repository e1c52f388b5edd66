import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as engine from '../../engine';
import {
  DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE, evaluate, Network, Optimizer, Random, StepOutcome, Trainer,
  type NetworkSpec, type Split, type TrainConfig, type TrainingData,
} from '../../engine';
import { prepareDataset } from '../../engine/data/dataset';
import { testConfig as config } from '../support/train-config';

const sgd = { ...DEFAULT_OPTIMIZER, name: 'sgd' as const };

function weightsOf(trainer: Trainer): number[] {
  const out = new Float64Array(trainer.network.parameterCount);
  trainer.network.copyParametersTo(out);
  return Array.from(out);
}

/** Trains a twin epoch by epoch and returns its weights before training ([0]) and after each epoch ([e]). */
function weightsPerEpoch(spec: NetworkSpec, data: TrainingData, cfg: TrainConfig, precision: 'float32' | 'float64'): number[][] {
  const twin = new Trainer(spec, data, { ...cfg, earlyStopPatience: null }, { precision });
  const snapshots = [weightsOf(twin)];
  while (!twin.done) {
    twin.runEpoch();
    if (twin.status !== 'diverged') snapshots.push(weightsOf(twin));
  }
  return snapshots;
}

/** A small non-linear regression task: y = sin(x₀) + x₁·x₂ (+ noise). */
function regressionData(rows: number, seed: number, make: (n: number) => Float32Array | Float64Array = (n) => new Float32Array(n)): Split {
  const rng = new Random(seed);
  const x = make(rows * 3);
  const y = make(rows);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 3; j++) x[r * 3 + j] = rng.normal();
    y[r] = Math.sin(x[r * 3]!) + x[r * 3 + 1]! * x[r * 3 + 2]! + 0.1 * rng.normal();
  }
  return { x, y, rows };
}

const SMALL_MLP: NetworkSpec = {
  inputs: 3, layers: [{ units: 6, activation: 'tanh' }, { units: 1, activation: 'linear' }], bias: true, loss: 'mse', init: 'glorot',
};

describe('determinism', () => {
  const data = (): TrainingData => ({ train: regressionData(30, 1), val: regressionData(10, 2), metric: { kind: 'regression', scale: 1 } });
  const cfg = config({ epochs: 6, batchSize: 7, learningRate: 0.02, optimizer: { ...DEFAULT_OPTIMIZER, name: 'adam' }, seed: 99 });

  it('the same seed, data and config give bit-identical weights and history', () => {
    const a = new Trainer(SMALL_MLP, data(), cfg);
    const b = new Trainer(SMALL_MLP, data(), cfg);
    a.run();
    b.run();
    const bytes = (t: Trainer) => {
      const w = new Float32Array(t.network.parameterCount);
      t.network.copyParametersTo(w);
      return Buffer.from(w.buffer).toString('hex');
    };
    expect(bytes(a)).toBe(bytes(b));
    expect(a.history).toEqual(b.history);
    expect(a.history).toHaveLength(6);
  });

  it('another seed gives other weights (so the check above is not vacuous)', () => {
    const a = new Trainer(SMALL_MLP, data(), cfg);
    const b = new Trainer(SMALL_MLP, data(), { ...cfg, seed: 100 });
    a.run();
    b.run();
    expect(weightsOf(a)).not.toEqual(weightsOf(b));
    expect(a.history[5]!.train.loss).not.toBe(b.history[5]!.train.loss);
  });

  describe('in fresh processes', () => {
    /**
     * The training routine as plain JavaScript, so that the same text runs here (against the TypeScript
     * engine) and in child processes (against a bundle of it). It returns SHA-256 digests of the final weights'
     * bytes and of the loss history.
     */
    const ROUTINE = `
import { createHash } from 'node:crypto';
export function train(engine) {
  const { Trainer, DEFAULT_OPTIMIZER, DEFAULT_SCHEDULE, Random } = engine;
  const rng = new Random(5);
  const rows = 48;
  const x = new Float32Array(rows * 4);
  const y = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 4; j++) x[r * 4 + j] = rng.normal();
    y[r * 3 + (x[r * 4] + x[r * 4 + 1] * x[r * 4 + 2] > 0 ? (x[r * 4 + 3] > 0 ? 0 : 1) : 2)] = 1;
  }
  const split = (from, to) => ({ x: x.subarray(from * 4, to * 4), y: y.subarray(from * 3, to * 3), rows: to - from });
  const trainer = new Trainer(
    { inputs: 4, layers: [{ units: 8, activation: 'tanh' }, { units: 5, activation: 'sigmoid' }, { units: 3, activation: 'softmax' }],
      bias: true, loss: 'softmax_ce', init: 'glorot' },
    { train: split(0, 36), val: split(36, 48), metric: { kind: 'classification' } },
    { epochs: 12, batchSize: 5, learningRate: 0.03, shuffle: true, seed: 2024,
      optimizer: { ...DEFAULT_OPTIMIZER, name: 'adam', l2: 1e-3 },
      schedule: { ...DEFAULT_SCHEDULE, name: 'cosine', minFactor: 0.1 }, earlyStopPatience: null },
  );
  trainer.run();
  const weights = new Float32Array(trainer.network.parameterCount);
  trainer.network.copyParametersTo(weights);
  const losses = Float64Array.from(trainer.history.flatMap((h) => [h.train.loss, h.val.loss, h.train.accuracy, h.learningRate]));
  const digest = (a) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
  return { weights: digest(weights), losses: digest(losses), epochs: trainer.history.length, status: trainer.status };
}
`;
    let dir = '';

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'nnlab-determinism-'));
      // Bundle only the modules training needs, so that unrelated parts of engine/ cannot break this test.
      const entry = join(dir, 'entry.ts');
      writeFileSync(entry, ['trainer', 'optimizers', 'schedules', 'random']
        .map((m) => `export * from ${JSON.stringify(fileURLToPath(new URL(`../../engine/${m}.ts`, import.meta.url)))};`).join('\n'));
      const { build } = await import('vite');
      await build({
        configFile: false,
        logLevel: 'silent',
        publicDir: false,
        root: fileURLToPath(new URL('../..', import.meta.url)),
        build: {
          outDir: dir,
          emptyOutDir: false,
          minify: false,
          write: true,
          lib: { entry, formats: ['es'], fileName: () => 'engine.mjs' },
        },
      });
      writeFileSync(join(dir, 'routine.mjs'), ROUTINE);
      writeFileSync(join(dir, 'child.mjs'), [
        "import * as engine from './engine.mjs';",
        "import { train } from './routine.mjs';",
        'process.stdout.write(JSON.stringify(train(engine)));',
      ].join('\n'));
    });

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('two fresh node processes and this one produce the same weights and losses', async () => {
      const { train } = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'routine.mjs')).href)) as {
        train: (e: typeof engine) => { weights: string; losses: string; epochs: number; status: string };
      };
      const here = train(engine);
      expect(here.epochs).toBe(12);
      expect(here.status).toBe('finished');
      for (let child = 0; child < 2; child++) {
        const result = spawnSync(process.execPath, [join(dir, 'child.mjs')], { encoding: 'utf8' });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual(here);
      }
    });
  });
});

describe('step() granularity', () => {
  const spec: NetworkSpec = { inputs: 3, layers: [{ units: 1, activation: 'linear' }], bias: true, loss: 'mse', init: 'glorot' };

  it('10 rows in batches of 4: three steps per epoch, the last one of 2 rows', () => {
    const trainer = new Trainer(spec, { train: regressionData(10, 3), metric: { kind: 'regression', scale: 1 } }, config({ epochs: 2, batchSize: 4 }));
    expect(trainer.stepsPerEpoch).toBe(3);
    expect(trainer.status).toBe('ready');
    const seen: [StepOutcome, number, number, number][] = [];
    for (let i = 0; i < 6; i++) {
      const outcome = trainer.step();
      seen.push([outcome, trainer.steps, trainer.epoch, trainer.history.length]);
    }
    expect(seen).toEqual([
      [StepOutcome.Batch, 1, 0, 0],
      [StepOutcome.Batch, 2, 0, 0],
      [StepOutcome.EpochEnded, 3, 1, 1],
      [StepOutcome.Batch, 4, 1, 1],
      [StepOutcome.Batch, 5, 1, 1],
      [StepOutcome.Done, 6, 2, 2],
    ]);
    expect(trainer.history.map((h) => [h.epoch, h.step])).toEqual([[1, 3], [2, 6]]);
    expect(trainer.status).toBe('finished');
    // Nothing more happens once done.
    const before = weightsOf(trainer);
    expect(trainer.step()).toBe(StepOutcome.Done);
    expect(trainer.steps).toBe(6);
    expect(weightsOf(trainer)).toEqual(before);
  });

  it('status is "training" between steps, and runEpoch stops on the epoch boundary', () => {
    const trainer = new Trainer(spec, { train: regressionData(10, 3), metric: { kind: 'regression', scale: 1 } }, config({ epochs: 3, batchSize: 4 }));
    trainer.step();
    expect(trainer.status).toBe('training');
    expect(trainer.runEpoch()).toBe(StepOutcome.EpochEnded);
    expect([trainer.steps, trainer.epoch]).toEqual([3, 1]);
    expect(trainer.runEpoch()).toBe(StepOutcome.EpochEnded);
    expect(trainer.runEpoch()).toBe(StepOutcome.Done);
    expect(trainer.run()).toHaveLength(3);
  });

  it('batch sizes of "full" or above the row count give one step per epoch', () => {
    const data: TrainingData = { train: regressionData(10, 3), metric: { kind: 'regression', scale: 1 } };
    expect(new Trainer(spec, data, config({ batchSize: 'full' })).stepsPerEpoch).toBe(1);
    expect(new Trainer(spec, data, config({ batchSize: 64 })).stepsPerEpoch).toBe(1);
    expect(new Trainer(spec, data, config({ batchSize: 1 })).stepsPerEpoch).toBe(10);
    expect(new Trainer(spec, data, config({ batchSize: 5 })).stepsPerEpoch).toBe(2);
  });

  it('each batch is exactly its rows: matches a hand-driven loop over rows 0–3, 4–7, 8–9', () => {
    const train = regressionData(10, 4, (n) => new Float64Array(n));
    const cfg = config({ epochs: 1, batchSize: 4, shuffle: false, learningRate: 0.1, optimizer: sgd });
    const trainer = new Trainer(SMALL_MLP, { train, metric: { kind: 'regression', scale: 1 } }, cfg, { precision: 'float64' });
    const manual = new Network(SMALL_MLP, 'float64', 4);
    manual.copyParametersFrom(weightsOf(trainer));
    const opt = new Optimizer(manual.parameters(), sgd, 'float64');
    const batchLosses: number[] = [];
    for (const [from, to] of [[0, 4], [4, 8], [8, 10]] as const) {
      const x = train.x.subarray(from * 3, to * 3);
      const y = train.y.subarray(from, to);
      manual.forward(x, to - from);
      const manualLoss = manual.lossValue(y, to - from);
      manual.backward(x, y, to - from);
      opt.step(0.1);
      trainer.step();
      batchLosses.push(trainer.lastBatchLoss);
      expect(trainer.lastBatchLoss).toBe(manualLoss);
    }
    const expected = new Float64Array(manual.parameterCount);
    manual.copyParametersTo(expected);
    expect(weightsOf(trainer)).toEqual(Array.from(expected));
    // The epoch's loss weights each batch by its rows: (4·l₁ + 4·l₂ + 2·l₃) / 10.
    expect(trainer.history[0]!.train.loss).toBeCloseTo((4 * batchLosses[0]! + 4 * batchLosses[1]! + 2 * batchLosses[2]!) / 10, 14);
  });
});

describe('shuffling', () => {
  // One input carrying the row's index, so the batches reveal the order; classification keeps evaluate()
  // (which would also call forward) out of the epoch's end.
  const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], bias: true, loss: 'bce', init: 'glorot' };
  const rows = 12;
  const train: Split = { x: Float32Array.from({ length: rows }, (_, i) => i), y: Float32Array.from({ length: rows }, (_, i) => i % 2), rows };

  function visitOrder(shuffle: boolean, seed: number, epochs: number): number[][] {
    const trainer = new Trainer(spec, { train, metric: { kind: 'classification' } }, config({ epochs, batchSize: 5, shuffle, seed, learningRate: 1e-3 }));
    const seen: number[] = [];
    const forward = trainer.network.forward.bind(trainer.network);
    trainer.network.forward = (x, n) => {
      for (let r = 0; r < n; r++) seen.push(x[r]!);
      return forward(x, n);
    };
    trainer.run();
    return Array.from({ length: epochs }, (_, e) => seen.slice(e * rows, (e + 1) * rows));
  }

  it('visits every row once per epoch, in a new order each epoch', () => {
    const orders = visitOrder(true, 8, 4);
    const identity = Array.from({ length: rows }, (_, i) => i);
    for (const order of orders) expect([...order].sort((a, b) => a - b)).toEqual(identity);
    for (let a = 0; a < orders.length; a++) {
      expect(orders[a]).not.toEqual(identity);
      for (let b = a + 1; b < orders.length; b++) expect(orders[a]).not.toEqual(orders[b]);
    }
  });

  it('draws the order from the seed’s "shuffle" stream, reshuffling the previous order each epoch', () => {
    const rng = Random.stream(8, 'shuffle');
    const order = Array.from({ length: rows }, (_, i) => i);
    const expected = [1, 2, 3].map(() => {
      rng.shuffle(order);
      return [...order];
    });
    expect(visitOrder(true, 8, 3)).toEqual(expected);
  });

  it('keeps the file order when shuffle is off', () => {
    const identity = Array.from({ length: rows }, (_, i) => i);
    expect(visitOrder(false, 8, 3)).toEqual([identity, identity, identity]);
  });

  it('full-batch training without shuffling is plain gradient descent, checked against a hand-rolled loop', () => {
    // Linear regression y ≈ w·x + b with MSE: ∂L/∂w = (2/n) Σ (ŷ − y) x, ∂L/∂b = (2/n) Σ (ŷ − y).
    const linear: NetworkSpec = { inputs: 2, layers: [{ units: 1, activation: 'linear' }], bias: true, loss: 'mse', init: 'glorot' };
    const x = Float64Array.of(1, 2, -1, 0.5, 3, -2, 0, 1, 2, 2);
    const y = Float64Array.of(3, 0.5, 1, 2, 6);
    const n = 5;
    const lr = 0.05;
    const trainer = new Trainer(linear, { train: { x, y, rows: n }, metric: { kind: 'regression', scale: 1 } },
      config({ epochs: 25, batchSize: 'full', shuffle: false, learningRate: lr, optimizer: sgd }), { precision: 'float64' });
    let [w0, w1, b] = weightsOf(trainer) as [number, number, number];
    expect(b).toBe(0);
    const losses: number[] = [];
    for (let epoch = 0; epoch < 25; epoch++) {
      let g0 = 0, g1 = 0, gb = 0, loss = 0;
      for (let r = 0; r < n; r++) {
        const err = w0 * x[r * 2]! + w1 * x[r * 2 + 1]! + b - y[r]!;
        loss += err * err / n;
        g0 += (2 / n) * err * x[r * 2]!;
        g1 += (2 / n) * err * x[r * 2 + 1]!;
        gb += (2 / n) * err;
      }
      losses.push(loss);
      w0 -= lr * g0;
      w1 -= lr * g1;
      b -= lr * gb;
    }
    trainer.run();
    const [tw0, tw1, tb] = weightsOf(trainer);
    expect(tw0).toBeCloseTo(w0, 12);
    expect(tw1).toBeCloseTo(w1, 12);
    expect(tb).toBeCloseTo(b, 12);
    trainer.history.forEach((h, i) => expect(h.train.loss).toBeCloseTo(losses[i]!, 12));
    // It actually learned something, so the comparison covers real movement.
    expect(losses[24]!).toBeLessThan(losses[0]! / 4);

    // With the whole set in every batch, shuffling only reorders the sums: same result up to rounding.
    const shuffled = new Trainer(linear, { train: { x, y, rows: n }, metric: { kind: 'regression', scale: 1 } },
      config({ epochs: 25, batchSize: 'full', shuffle: true, learningRate: lr, optimizer: sgd }), { precision: 'float64' });
    shuffled.run();
    weightsOf(shuffled).forEach((v, i) => expect(v).toBeCloseTo([w0, w1, b][i]!, 10));
  });
});

describe('early stopping', () => {
  // Train on y = 2x, validate on y = x: as w climbs from ≈0 towards 2, validation improves until w passes 1
  // and worsens after. With (1 − 2·lr·mean x²) = 0.8, w after epoch k is ≈ 2 − 2·0.8ᵏ: closest to 1 at k = 3.
  const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'linear' }], bias: false, loss: 'mse', init: 'normal' };
  const x = Float64Array.of(1, -1, 2, -2);
  const meanSquare = (1 + 1 + 4 + 4) / 4;
  const data: TrainingData = {
    train: { x, y: x.map((v) => 2 * v), rows: 4 },
    val: { x, y: x.map((v) => v), rows: 4 },
    metric: { kind: 'regression', scale: 1 },
  };
  const cfg = config({ epochs: 20, batchSize: 'full', shuffle: false, learningRate: 0.1 / meanSquare, optimizer: sgd, earlyStopPatience: 3 });

  it('stops when validation has not improved for `patience` epochs and restores the best epoch’s weights', () => {
    const perEpoch = weightsPerEpoch(spec, data, cfg, 'float64');
    const trainer = new Trainer(spec, data, cfg, { precision: 'float64' });
    trainer.run();
    const valLosses = trainer.history.map((h) => h.val!.loss);
    const best = valLosses.indexOf(Math.min(...valLosses)) + 1;
    expect(best).toBe(3);
    expect(trainer.status).toBe('early_stopped');
    expect(trainer.history).toHaveLength(6);
    expect(trainer.epoch).toBe(6);
    expect(trainer.message).toBe('Stopped early at epoch 6: the validation loss had not improved for 3 epochs; kept the weights of epoch 3.');
    expect(weightsOf(trainer)).toEqual(perEpoch[3]);
    // Restoring did something: the weights at the stop were different.
    expect(perEpoch[6]).not.toEqual(perEpoch[3]);
    expect(trainer.step()).toBe(StepOutcome.Done);
  });

  it('without a validation split it watches the training loss', () => {
    // Every hidden ReLU is dead (negative weights, positive inputs, no bias): no gradient, a constant loss.
    const dead: NetworkSpec = { inputs: 1, layers: [{ units: 2, activation: 'relu' }, { units: 1, activation: 'linear' }], bias: false, loss: 'mse', init: 'glorot' };
    const trainer = new Trainer(dead, { train: { x: Float32Array.of(1, 2, 3), y: Float32Array.of(1, 1, 1), rows: 3 }, metric: { kind: 'regression', scale: 1 } },
      config({ epochs: 10, batchSize: 'full', earlyStopPatience: 2 }));
    trainer.network.layers[0]!.weights.fill(-1);
    trainer.run();
    expect(trainer.status).toBe('early_stopped');
    expect(trainer.history).toHaveLength(3);
    expect(trainer.message).toBe('Stopped early at epoch 3: the training loss had not improved for 2 epochs; kept the weights of epoch 1.');
  });

  it('with patience off it runs every epoch', () => {
    const trainer = new Trainer(spec, data, { ...cfg, earlyStopPatience: null }, { precision: 'float64' });
    trainer.run();
    expect(trainer.status).toBe('finished');
    expect(trainer.history).toHaveLength(20);
  });
});

describe('the plateau schedule and the minimum improvement', () => {
  // Every hidden ReLU is dead (negative weights, positive inputs, no bias): no gradient, so the loss never changes.
  const dead: NetworkSpec = { inputs: 1, layers: [{ units: 2, activation: 'relu' }, { units: 1, activation: 'linear' }], bias: false, loss: 'mse', init: 'glorot' };
  const flat: TrainingData = { train: { x: Float32Array.of(1, 2, 3), y: Float32Array.of(1, 1, 1), rows: 3 }, metric: { kind: 'regression', scale: 1 } };
  const plateau = { ...DEFAULT_SCHEDULE, name: 'plateau' as const, patience: 3, factor: 0.5, minFactor: 0.2 };

  function deadTrainer(over: Partial<TrainConfig>): Trainer {
    const trainer = new Trainer(dead, flat, config({ epochs: 12, batchSize: 'full', learningRate: 0.1, schedule: plateau, ...over }));
    trainer.network.layers[0]!.weights.fill(-1);
    return trainer;
  }

  it('halves the rate after `patience` epochs without improvement, and again after each further `patience`, down to its floor', () => {
    const trainer = deadTrainer({});
    trainer.run();
    // Epoch 1 sets the best; epochs 2–4 do not improve, so epoch 5 trains at half the rate, and so on down to 0.2 × 0.1.
    expect(trainer.history.map((h) => Number(h.learningRate.toPrecision(12)))).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.02, 0.02]);
  });

  it('a plateau met part way survives a checkpoint: the resumed run lowers the rate where the whole run does', () => {
    const whole = deadTrainer({});
    whole.run();
    const first = deadTrainer({});
    for (let e = 0; e < 6; e++) first.runEpoch();
    const resumed = deadTrainer({});
    resumed.importState(first.exportState(), first.history);
    resumed.run();
    expect(resumed.history.map((h) => h.learningRate)).toEqual(whole.history.map((h) => h.learningRate));
  });

  it('a rate set by hand replaces what the plateaus made of the old one', () => {
    const trainer = deadTrainer({});
    for (let e = 0; e < 5; e++) trainer.runEpoch();
    expect(trainer.currentLearningRate).toBe(0.05);
    trainer.setLearningRate(0.3);
    trainer.runEpoch();
    expect(trainer.history.at(-1)!.learningRate).toBe(0.3);
  });

  it('with a minimum improvement, epochs that improve by less count as bad, but the lowest loss’s weights are kept', () => {
    const x = Float64Array.of(1, -1, 2, -2);
    const data: TrainingData = { train: { x, y: x.map((v) => 2 * v), rows: 4 }, metric: { kind: 'regression', scale: 1 } };
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'linear' }], bias: false, loss: 'mse', init: 'glorot' };
    // A slow learning rate: every epoch lowers the loss, by less and less.
    const cfg = config({ epochs: 200, batchSize: 'full', shuffle: false, learningRate: 0.002, optimizer: sgd, earlyStopPatience: 3 });
    const plain = new Trainer(spec, data, cfg, { precision: 'float64' });
    plain.run();
    expect(plain.status).toBe('finished');
    const margin = 0.01;
    const trainer = new Trainer(spec, data, { ...cfg, earlyStopMinDelta: margin }, { precision: 'float64' });
    trainer.run();
    expect(trainer.status).toBe('early_stopped');
    const losses = trainer.history.map((h) => h.train.loss);
    const stop = trainer.epoch;
    // The last three epochs each improved on the best before them by less than the margin …
    for (let e = stop - 3; e < stop; e++) expect(Math.min(...losses.slice(0, e)) - losses[e]!).toBeLessThan(margin);
    // … and the weights kept are those of the lowest loss, the last epoch's (the loss still fell), not of the last "improvement".
    expect(trainer.message).toBe(`Stopped early at epoch ${stop}: the training loss had not improved by more than ${margin} for 3 epochs; kept the weights of epoch ${stop}.`);
  });
});

describe('divergence guard', () => {
  const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'linear' }], bias: false, loss: 'mse', init: 'normal' };
  const x = Float32Array.of(1, -1, 2, -2);
  const train: Split = { x, y: x.map((v) => 3 * v), rows: 4 };
  const meanSquare = 2.5;
  const allFinite = (t: Trainer) => weightsOf(t).every(Number.isFinite);

  it('an exploding (but finite) loss stops training and restores the last good epoch', () => {
    // (1 − 2·lr·mean x²) = −9: the error grows ×9 and the loss ×81 per epoch, past 10⁴× the first in epoch 4.
    const cfg = config({ epochs: 50, batchSize: 'full', shuffle: false, learningRate: 5 / meanSquare, optimizer: sgd });
    const data: TrainingData = { train, metric: { kind: 'regression', scale: 1 } };
    const perEpoch = weightsPerEpoch(spec, data, cfg, 'float32');
    const trainer = new Trainer(spec, data, cfg);
    trainer.run();
    expect(trainer.status).toBe('diverged');
    expect(trainer.history).toHaveLength(4);
    expect(trainer.message).toMatch(
      /^The training loss of epoch 4 averaged \S+, over 10,000 times the \S+ of the initial weights: the learning rate is probably too high\. Kept the weights from epoch 3; try a learning rate of 0\.2 or lower\.$/,
    );
    expect(allFinite(trainer)).toBe(true);
    expect(weightsOf(trainer)).toEqual(perEpoch[3]);
  });

  for (const withVal of [false, true]) {
    it(`weights that overflow to ±Infinity are never kept (${withVal ? 'with' : 'without'} a validation split)`, () => {
      // One update with lr 1e40 overflows float32. Without a validation split, the epoch's loss was measured
      // before that update, so only the weights themselves can show it.
      const data: TrainingData = { train, metric: { kind: 'regression', scale: 1 }, ...(withVal ? { val: train } : {}) };
      const trainer = new Trainer(spec, data, config({ epochs: 5, batchSize: 'full', learningRate: 1e40, optimizer: sgd }));
      const initial = weightsOf(trainer);
      trainer.run();
      expect(trainer.status).toBe('diverged');
      expect(trainer.message).toMatch(/learning rate/);
      expect(trainer.message).toMatch(/epoch 1\b/);
      expect(allFinite(trainer)).toBe(true);
      expect(weightsOf(trainer)).toEqual(initial);
    });
  }

  it('a non-finite loss in the middle of an epoch restores the previous epoch’s weights', () => {
    const data: TrainingData = { train, metric: { kind: 'regression', scale: 1 } };
    const cfg = config({ epochs: 5, batchSize: 2, shuffle: false, learningRate: 0.01, optimizer: sgd });
    const trainer = new Trainer(spec, data, cfg);
    trainer.runEpoch();
    const afterFirst = weightsOf(trainer);
    trainer.setLearningRate(1e40);
    expect(trainer.step()).toBe(StepOutcome.Batch);
    expect(trainer.step()).toBe(StepOutcome.Done);
    expect(trainer.status).toBe('diverged');
    expect(trainer.message).toMatch(/^The loss became (NaN|-?Infinity) in epoch 2, after step 3: the learning rate is probably too high\./);
    expect(trainer.history).toHaveLength(1);
    expect(weightsOf(trainer)).toEqual(afterFirst);
  });
});

describe('divergence in the first epoch, on iris as the command line trains it', () => {
  /** datasets/iris.csv prepared with the command line's defaults: 60/20/20 split, seed 1, standardised. */
  function iris(): TrainingData {
    const lines = readFileSync(new URL('../../datasets/iris.csv', import.meta.url), 'utf8').trim().split('\n');
    const columns = lines[0]!.split(',');
    const rows = lines.slice(1).map((line) => line.split(','));
    const table = { source: 'iris.csv', columns, cells: columns.map((_, c) => rows.map((r) => r[c]!)), rows: rows.length, lines: rows.map((_, r) => r + 2) };
    const data = prepareDataset(table, { missingPolicy: 'drop', val: 0.2, test: 0.2, seed: 1, standardize: true, keepConstant: false });
    return { train: data.train, val: data.val, metric: { kind: 'classification' } };
  }
  const data = iris();

  /** 4 → 16 → 8 → 3 softmax, batches of 32, early stopping after 20 epochs: the command line's defaults. */
  function trainer(learningRate: number, optimizer: 'adam' | 'sgd', hidden: 'relu' | 'sigmoid' = 'relu', loss: 'softmax_ce' | 'mse' = 'softmax_ce'): Trainer {
    const spec: NetworkSpec = {
      inputs: 4, layers: [{ units: 16, activation: hidden }, { units: 8, activation: hidden }, { units: 3, activation: 'softmax' }],
      bias: true, loss, init: hidden === 'relu' ? 'he' : 'glorot',
    };
    return new Trainer(spec, data, {
      epochs: 200, batchSize: 32, learningRate, optimizer: { ...DEFAULT_OPTIMIZER, name: optimizer, momentum: 0.9, l2: 0 },
      schedule: DEFAULT_SCHEDULE, shuffle: true, earlyStopPatience: 20, seed: 1,
    });
  }

  const largestWeight = (t: Trainer) => Math.max(...weightsOf(t).map(Math.abs));

  const REPRODUCTIONS: [string, () => Trainer, string][] = [
    ['Adam, learning rate 100', () => trainer(100, 'adam'), '10'],
    ['Adam, learning rate 1e6', () => trainer(1e6, 'adam'), '100000'],
    ['SGD, learning rate 100', () => trainer(100, 'sgd'), '10'],
    ['SGD, learning rate 1e6, sigmoid layers, mean squared error', () => trainer(1e6, 'sgd', 'sigmoid', 'mse'), '100000'],
  ];
  for (const [what, make, lower] of REPRODUCTIONS) {
    it(`${what}: stops in epoch 1 and keeps the initial weights`, () => {
      const t = make();
      const initial = weightsOf(t);
      t.run();
      expect(t.status).toBe('diverged');
      // Caught inside epoch 1 or at its end (then its record is kept, as the epoch happened).
      expect(t.history.length).toBeLessThanOrEqual(1);
      expect(t.message).toMatch(/\bepoch 1\b/);
      expect(t.message).toMatch(new RegExp(`Kept the initial weights; try a learning rate of ${lower} or lower\\.$`));
      expect(weightsOf(t)).toEqual(initial);
      expect(largestWeight(t)).toBeLessThan(10);
    });
  }

  it('the same settings with the default learning rate train without tripping the guard', () => {
    const t = trainer(0.01, 'adam');
    t.run();
    expect(t.status).not.toBe('diverged');
    expect(t.message).not.toMatch(/learning rate/);
    expect(t.history.at(-1)!.val!.accuracy).toBeGreaterThan(0.9);
  });

  it('compares with the loss of the initial weights on every training row, measured before the first update', () => {
    const t = trainer(100, 'adam');
    const before = evaluate(t.network, data.train, data.metric).loss;
    t.run();
    expect(t.exportState().initialLoss).toBe(before);
    expect(t.message).toContain(before.toPrecision(4));
  });

  describe('inside a longer epoch, weights and gradients are read every 256 rows', () => {
    /** 600 rows of three classes: the eighth batch of 32 is the one that reaches 256 rows. */
    const wide: TrainingData = (() => {
      const rng = new Random(12);
      const rows = 600;
      const x = new Float32Array(rows * 4).map(() => rng.normal());
      const y = new Float32Array(rows * 3);
      for (let r = 0; r < rows; r++) y[r * 3 + (x[r * 4]! > 0.4 ? 0 : x[r * 4 + 1]! > 0 ? 1 : 2)] = 1;
      return { train: { x, y, rows }, metric: { kind: 'classification' } };
    })();
    const make = (learningRate: number, hidden: 'relu' | 'sigmoid', loss: 'softmax_ce' | 'mse') => new Trainer(
      { inputs: 4, layers: [{ units: 16, activation: hidden }, { units: 3, activation: 'softmax' }], bias: true, loss, init: 'glorot' },
      wide, config({ epochs: 5, batchSize: 32, learningRate, optimizer: sgd, seed: 3 }),
    );

    it('weights blown up where the loss cannot show it (softmax with mean squared error) stop the run at 256 rows', () => {
      const t = make(1e6, 'sigmoid', 'mse');
      const initial = weightsOf(t);
      t.run();
      expect(t.status).toBe('diverged');
      expect(t.history).toHaveLength(0);
      expect(t.message).toMatch(/^The weights grew over 1000-fold in epoch 1, after step 7 \(to a root mean square of \S+ from \S+\): the learning rate is probably too high\. Kept the initial weights; try a learning rate of 100000 or lower\.$/);
      expect(weightsOf(t)).toEqual(initial);
    });

    it('gradients that are not finite stop the run before they reach the weights', () => {
      const t = make(0.01, 'relu', 'softmax_ce');
      t.runEpoch();
      const afterFirst = weightsOf(t);
      // The sixth batch of epoch 2 (rows 760 to 792 of the run) is the one that reaches 768 rows.
      const backward = t.network.backward.bind(t.network);
      let calls = 0;
      t.network.backward = (x, y, rows) => {
        backward(x, y, rows);
        if (++calls === 6) t.network.layers[1]!.gradWeights[5] = Number.POSITIVE_INFINITY;
      };
      t.run();
      expect(t.status).toBe('diverged');
      expect(t.steps).toBe(19 + 5);
      expect(t.message).toBe(
        'The gradients became infinite or NaN in epoch 2, after step 24: the learning rate is probably too high. Kept the weights from epoch 1; try a learning rate of 0.001 or lower.',
      );
      expect(weightsOf(t)).toEqual(afterFirst);
    });
  });

  it('a run resumed in the middle of epoch 1 diverges exactly as the uninterrupted one, with or without the saved baseline', () => {
    const uninterrupted = trainer(100, 'sgd');
    uninterrupted.step();
    const state = uninterrupted.exportState();
    uninterrupted.run();
    for (const saved of [state, { ...state, initialLoss: Number.NaN }]) {
      const resumed = trainer(100, 'sgd');
      resumed.importState(saved, []);
      resumed.run();
      expect(resumed.status).toBe('diverged');
      expect(resumed.message).toBe(uninterrupted.message);
      expect(resumed.exportState()).toEqual(uninterrupted.exportState());
    }
  });
});

describe('setLearningRate', () => {
  const train = regressionData(8, 6, (n) => new Float64Array(n));
  const data: TrainingData = { train, metric: { kind: 'regression', scale: 1 } };

  /** SGD moved every parameter by −lr·grad, using the gradients the step left behind. */
  function expectStepWithRate(trainer: Trainer, before: number[], lr: number): void {
    const grads = trainer.network.parameters().flatMap((p) => Array.from(p.grads));
    const after = weightsOf(trainer);
    expect(grads.some((g) => Math.abs(g) > 1e-3)).toBe(true);
    after.forEach((w, i) => expect(w).toBeCloseTo(before[i]! - lr * grads[i]!, 13));
  }

  it('takes effect from the next mini-batch', () => {
    const trainer = new Trainer(SMALL_MLP, data, config({ epochs: 2, batchSize: 4, shuffle: false, learningRate: 0.1, optimizer: sgd }), { precision: 'float64' });
    let before = weightsOf(trainer);
    trainer.step();
    expectStepWithRate(trainer, before, 0.1);
    trainer.setLearningRate(0.02);
    expect(trainer.currentLearningRate).toBe(0.02);
    before = weightsOf(trainer);
    trainer.step();
    expectStepWithRate(trainer, before, 0.02);
    expect(trainer.history[0]!.learningRate).toBe(0.02);
    before = weightsOf(trainer);
    trainer.step();
    expectStepWithRate(trainer, before, 0.02);
  });

  it('sets the base rate: the schedule still scales it', () => {
    const schedule = { ...DEFAULT_SCHEDULE, name: 'step' as const, stepEpochs: 1, gamma: 0.5 };
    const trainer = new Trainer(SMALL_MLP, data, config({ epochs: 4, batchSize: 4, learningRate: 0.1, optimizer: sgd, schedule }), { precision: 'float64' });
    trainer.runEpoch();
    trainer.step(); // inside epoch 2, whose rate is base·½
    expect(trainer.currentLearningRate).toBe(0.05);
    trainer.setLearningRate(0.4);
    expect(trainer.currentLearningRate).toBe(0.2);
    trainer.runEpoch();
    trainer.step();
    expect(trainer.currentLearningRate).toBe(0.1);
    expect(trainer.history.map((h) => h.learningRate)).toEqual([0.1, 0.2]);
  });

  it('rejects rates that are not positive and finite', () => {
    const cfg = config({});
    const trainer = new Trainer(SMALL_MLP, data, cfg);
    for (const bad of [0, -0.1, Number.NaN, Infinity]) expect(() => trainer.setLearningRate(bad)).toThrow(/learning rate/);
    expect(trainer.currentLearningRate).toBe(cfg.learningRate);
  });
});

describe('regression metrics', () => {
  // ŷ = 2x + 1 on x = 0..3 gives (1, 3, 5, 7) against y = (1, 2, 5, 8): errors (0, 1, 0, −1).
  // SSE = 2, MSE = ½, mean y = 4, total sum of squares = 9 + 4 + 1 + 16 = 30, R² = 1 − 2/30.
  const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'linear' }], bias: true, loss: 'mse', init: 'glorot' };
  const split: Split = { x: Float64Array.of(0, 1, 2, 3), y: Float64Array.of(1, 2, 5, 8), rows: 4 };

  function fixedNetwork(): Network {
    const net = new Network(spec, 'float64');
    net.layers[0]!.weights[0] = 2;
    net.layers[0]!.bias![0] = 1;
    return net;
  }

  it('rmse is in the original units (× scale) and r² is unit-free', () => {
    const m = evaluate(fixedNetwork(), split, { kind: 'regression', scale: 10 });
    expect(m.loss).toBeCloseTo(0.5, 15);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.5) * 10, 14);
    expect(m.r2).toBeCloseTo(1 - 2 / 30, 15);
    expect(m.accuracy).toBeUndefined();
    const unscaled = evaluate(fixedNetwork(), split, { kind: 'regression', scale: 1 });
    expect(unscaled.rmse).toBeCloseTo(Math.sqrt(0.5), 15);
    expect(unscaled.r2).toBe(m.r2);
  });

  it('evaluating in chunks gives the same numbers', () => {
    const whole = evaluate(fixedNetwork(), split, { kind: 'regression', scale: 3 });
    const chunked = evaluate(fixedNetwork(), split, { kind: 'regression', scale: 3 }, 3);
    expect(chunked.loss).toBeCloseTo(whole.loss, 15);
    expect(chunked.rmse).toBeCloseTo(whole.rmse!, 15);
    expect(chunked.r2).toBeCloseTo(whole.r2!, 15);
  });

  it('r² is undefined (NaN) for constant targets', () => {
    const flat: Split = { ...split, y: Float64Array.of(2, 2, 2, 2) };
    expect(evaluate(fixedNetwork(), flat, { kind: 'regression', scale: 1 }).r2).toBeNaN();
  });

  it('the trainer reports train loss before the update and rmse/r² of the weights after it', () => {
    const trainer = new Trainer(spec, { train: split, metric: { kind: 'regression', scale: 10 } },
      config({ epochs: 1, batchSize: 'full', learningRate: 0.01, optimizer: sgd }), { precision: 'float64' });
    const layer = trainer.network.layers[0]!;
    layer.weights[0] = 2;
    layer.bias![0] = 1;
    trainer.run();
    const [w, b] = [layer.weights[0]!, layer.bias![0]!];
    // Gradient at (2, 1): (2/4)·Σ err·x = ½(0 + 1 + 0 − 3) = −1 and (2/4)·Σ err = 0.
    expect(w).toBeCloseTo(2.01, 15);
    expect(b).toBeCloseTo(1, 15);
    const errors = [0, 1, 2, 3].map((v, r) => w * v + b - split.y[r]!);
    const sse = errors.reduce((s, e) => s + e * e, 0);
    const record = trainer.history[0]!.train;
    expect(record.loss).toBeCloseTo(0.5, 15);
    expect(record.rmse).toBeCloseTo(Math.sqrt(sse / 4) * 10, 13);
    expect(record.r2).toBeCloseTo(1 - sse / 30, 13);
  });
});

describe('configuration errors', () => {
  const data: TrainingData = { train: regressionData(4, 1), metric: { kind: 'regression', scale: 1 } };
  it.each([
    [{ epochs: 0 }, /Epochs must be at least 1/],
    [{ learningRate: 0 }, /learning rate must be above 0/],
    [{ batchSize: 0 }, /batch size/],
    [{ batchSize: 2.5 }, /batch size/],
  ] as [Partial<TrainConfig>, RegExp][])('rejects %o', (over, message) => {
    expect(() => new Trainer(SMALL_MLP, data, config(over))).toThrow(message);
  });

  it('rejects an empty training set', () => {
    expect(() => new Trainer(SMALL_MLP, { train: { x: new Float32Array(0), y: new Float32Array(0), rows: 0 }, metric: { kind: 'regression', scale: 1 } }, config({})))
      .toThrow(/no training rows/);
  });
});
