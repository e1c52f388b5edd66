import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import {
  DEFAULT_OPTIMIZER, Random, Trainer, type NetworkSpec, type Split, type TrainConfig, type TrainerState, type TrainingData,
} from '../../engine';
import { trainerStateSchema } from '../../common/trainer-state';
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint } from '../../main/store/checkpoint';
import { testConfig } from '../support/train-config';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

/** Three classes told apart by the signs of the first two of three features. */
function classes(rows: number, seed: number): Split {
  const rng = new Random(seed);
  const x = new Float32Array(rows * 3);
  const y = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 3; j++) x[r * 3 + j] = rng.normal();
    const label = x[r * 3]! > 0 ? (x[r * 3 + 1]! > 0 ? 2 : 1) : 0;
    y[r * 3 + label] = 1;
  }
  return { x, y, rows };
}

const spec = (hidden: 'tanh' | 'relu'): NetworkSpec => ({
  inputs: 3, layers: [{ units: 5, activation: hidden }, { units: 3, activation: 'softmax' }], bias: true, loss: 'softmax_ce', init: 'glorot',
});

/**
 * The runs behind the checkpoints in fixtures/, which the version-1 checkpoint code wrote after each run's first
 * `steps` mini-batches (with the kernels a network this small trains on, the JavaScript reference).
 */
const V1_RUNS: { dir: string; spec: NetworkSpec; data: TrainingData; config: TrainConfig; steps: number }[] = [
  {
    // Inside the first epoch: no epoch loss yet (NaN), no best loss (∞), no spare normal draw (NaN), SGD with no moments.
    dir: 'v1-sgd-first-epoch',
    spec: spec('tanh'),
    data: { train: classes(30, 1), metric: { kind: 'classification' } },
    config: testConfig({ epochs: 6, batchSize: 8, learningRate: 0.1, optimizer: { ...DEFAULT_OPTIMIZER, name: 'sgd' }, seed: 3 }),
    steps: 2,
  },
  {
    // Mid-epoch after two epochs of Adam with L2 and early stopping on a validation split.
    dir: 'v1-adam-early-stopping',
    spec: spec('relu'),
    data: { train: classes(40, 2), val: classes(12, 3), metric: { kind: 'classification' } },
    config: testConfig({
      epochs: 8, batchSize: 16, learningRate: 0.05, optimizer: { ...DEFAULT_OPTIMIZER, name: 'adam', l2: 0.01 }, earlyStopPatience: 2, seed: 4,
    }),
    steps: 7,
  },
];

function trainTo(run: (typeof V1_RUNS)[number], steps: number): Trainer {
  const trainer = new Trainer(run.spec, run.data, run.config);
  while (trainer.steps < steps && !trainer.done) trainer.step();
  return trainer;
}

const savedOf = (text: string): string => (JSON.parse(text) as { saved: string }).saved;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nnlab-checkpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the trainer state schema', () => {
  it('decodes to exactly the engine’s TrainerState', () => {
    expectTypeOf<z.output<typeof trainerStateSchema>>().toEqualTypeOf<TrainerState>();
  });
});

describe('version-1 checkpoints written before the state had one schema', () => {
  for (const run of V1_RUNS) {
    describe(run.dir, () => {
      it('load to the exact state of the run they were taken from', async () => {
        const state = await loadCheckpoint(join(FIXTURES, run.dir), run.dir);
        const twin = trainTo(run, run.steps);
        expect(twin.steps).toBe(run.steps);
        // Version 1 kept no baseline for the divergence guard: it loads as unknown (NaN), and the trainer that
        // imports it measures its own initial weights again, which are the same (the resume below is exact).
        expect(state.initialLoss).toBeNaN();
        // Nor the best epoch, which the trainer works out from the epochs without improvement.
        expect(state.bestEpoch).toBeNaN();
        expect(state).toEqual({ ...twin.exportState(), initialLoss: Number.NaN, bestEpoch: Number.NaN });
      });

      it('resume to the same weights and history as the run that never stopped', async () => {
        const state = await loadCheckpoint(join(FIXTURES, run.dir), run.dir);
        const uninterrupted = trainTo(run, run.steps);
        const resumed = new Trainer(run.spec, run.data, run.config);
        resumed.importState(state, uninterrupted.history);
        uninterrupted.run();
        resumed.run();
        expect(resumed.steps).toBeGreaterThan(run.steps);
        expect(resumed.exportState()).toEqual(uninterrupted.exportState());
        expect(resumed.history).toEqual(uninterrupted.history);
      });

      it('are written again byte for byte, but for the time they were saved', async () => {
        const fixture = await readFile(join(FIXTURES, run.dir, CHECKPOINT_FILE), 'utf8');
        await saveCheckpoint(dir, await loadCheckpoint(join(FIXTURES, run.dir), run.dir));
        const written = await readFile(join(dir, CHECKPOINT_FILE), 'utf8');
        expect(written.replace(savedOf(written), savedOf(fixture))).toBe(fixture);
      });
    });
  }
});

describe('saveCheckpoint and loadCheckpoint', () => {
  it('give back every field, with null on disk for the numbers JSON cannot hold', async () => {
    const trainer = trainTo(V1_RUNS[1]!, 3);
    const state = { ...trainer.exportState(), lastBatchLoss: Number.NaN, bestLoss: Infinity, firstEpochLoss: Number.NaN };
    await saveCheckpoint(dir, state);
    const onDisk = JSON.parse(await readFile(join(dir, CHECKPOINT_FILE), 'utf8')) as { version: number; state: Record<string, unknown> };
    expect(onDisk.version).toBe(1);
    expect([onDisk.state.lastBatchLoss, onDisk.state.bestLoss, onDisk.state.firstEpochLoss]).toEqual([null, null, null]);
    expect(await loadCheckpoint(dir, 'r')).toEqual(state);
  });

  it('keep the divergence guard’s baseline when it is known, and leave it out when it is not', async () => {
    const trainer = trainTo(V1_RUNS[0]!, 1);
    const state = trainer.exportState();
    expect(Number.isFinite(state.initialLoss)).toBe(true);
    await saveCheckpoint(dir, state);
    const onDisk = (): Promise<{ state: Record<string, unknown> }> => readFile(join(dir, CHECKPOINT_FILE), 'utf8').then((text) => JSON.parse(text));
    expect((await onDisk()).state.initialLoss).toBe(state.initialLoss);
    expect((await loadCheckpoint(dir, 'r')).initialLoss).toBe(state.initialLoss);
    await saveCheckpoint(dir, { ...state, initialLoss: Number.NaN });
    expect((await onDisk()).state).not.toHaveProperty('initialLoss');
    expect((await loadCheckpoint(dir, 'r')).initialLoss).toBeNaN();
  });

  it('store float64 state (gradient checks) as float32', async () => {
    const run = V1_RUNS[0]!;
    const trainer = new Trainer(run.spec, run.data, run.config, { precision: 'float64' });
    trainer.step();
    const state = trainer.exportState();
    expect(state.parameters).toBeInstanceOf(Float64Array);
    await saveCheckpoint(dir, state);
    const loaded = await loadCheckpoint(dir, 'r');
    expect(loaded.parameters).toEqual(Float32Array.from(state.parameters));
    expect(loaded.lastGood).toEqual(Float32Array.from(state.lastGood));
  });

  describe('name what is wrong with a damaged checkpoint', () => {
    const fixture = (): Promise<{ state: Record<string, unknown> } & Record<string, unknown>> =>
      readFile(join(FIXTURES, V1_RUNS[1]!.dir, CHECKPOINT_FILE), 'utf8').then((text) => JSON.parse(text));
    const damaged = async (change: (file: { state: Record<string, unknown> } & Record<string, unknown>) => void): Promise<Error> => {
      const file = await fixture();
      change(file);
      await writeFile(join(dir, CHECKPOINT_FILE), JSON.stringify(file));
      return loadCheckpoint(dir, 'r7').then(() => new Error('loaded'), (error: Error) => error);
    };

    it('a missing file or one that is not JSON', async () => {
      await expect(loadCheckpoint(dir, 'r7')).rejects.toThrow('Run r7 has no checkpoint to resume from.');
      await writeFile(join(dir, CHECKPOINT_FILE), '{"version": 1,');
      await expect(loadCheckpoint(dir, 'r7')).rejects.toThrow('Run r7 has a damaged checkpoint: it is not valid JSON.');
    });

    it('the first field that does not fit', async () => {
      const cases: [string, (file: { state: Record<string, unknown> } & Record<string, unknown>) => void][] = [
        ['version', (file) => { file.version = 2; }],
        ['state.status', (file) => { file.state.status = 'paused'; }],
        ['state.epoch', (file) => { file.state.epoch = 1.5; }],
        ['state.epochLossSum', (file) => { file.state.epochLossSum = null; }],
        ['state.parameters', (file) => { file.state.parameters = 'not base64!'; }],
        // three bytes: not a whole float32
        ['state.lastGood', (file) => { file.state.lastGood = 'AAAA'; }],
        ['state.optimizer.first.2', (file) => { (file.state.optimizer as { first: unknown[] }).first[2] = 7; }],
        ['state.shuffleRng', (file) => { file.state.shuffleRng = [1, 2, 3, 4]; }],
        ['state.order', (file) => { delete file.state.order; }],
      ];
      for (const [path, change] of cases) {
        expect((await damaged(change)).message).toBe(`Run r7 has a damaged checkpoint (${path}).`);
      }
    });
  });
});
