import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toyCsv, toyDataset } from '../../engine/data/toy-datasets';
import { baselineVerdict, type RunBaselines } from '../../common/baselines';
import { TrainingSession } from '../../main/lab/training-session';
import { RunDriver } from '../../main/training/run-driver';
import { openRun } from '../../main/training/run-setup';
import { RunStore } from '../../main/store/run-store';
import type { TrainRequest } from '../../common/settings';
import { dataset, tempHome } from '../support/cli';
import { epochsReached, launcher, request, writeRings } from './session-helpers';

const home = tempHome();
afterAll(home.cleanup);
const store = new RunStore(home.dir);

function csv(name: string, lines: string[]): string {
  const path = join(home.dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Trains a run to its end in this process with the worker's own driver, and returns its record as saved. */
async function trainHere(req: TrainRequest, stopRequested?: () => boolean) {
  const driver = new RunDriver(await openRun(req, store), store);
  while (!driver.trainer.done) driver.advance(1000);
  await driver.finish(false, stopRequested);
  return store.get(driver.id);
}

const splitsOf = (m: { train: unknown; val: unknown; test: unknown }) => ({ train: m.train, val: m.val, test: m.test });

describe('the constant baseline', () => {
  it('is the majority class of the training rows, scored like the network', async () => {
    // Training classes a ×6, b ×3, c ×1; the test file holds a, b, b, c.
    const train = csv('classes.csv', ['x,y', ...['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'c'].map((y, i) => `${i % 4},${y}`)]);
    const test = csv('classes-test.csv', ['x,y', '0,a', '1,b', '2,b', '3,c']);
    const run = await trainHere({ ...request(train, { layers: [3], epochs: 5, val: 0, test: 0 }), testFile: test });
    const constant = run.summary.baselines!.constant;
    expect(constant.name).toBe('majority');
    const entropy = -(0.6 * Math.log(0.6) + 0.3 * Math.log(0.3) + 0.1 * Math.log(0.1));
    expect(constant.train!.accuracy).toBe(0.6);
    expect(constant.train!.loss).toBeCloseTo(entropy, 6);
    expect(constant.val).toBeNull();
    expect(constant.test!.accuracy).toBe(0.25);
    expect(constant.test!.loss).toBeCloseTo(-(Math.log(0.6) + 2 * Math.log(0.3) + Math.log(0.1)) / 4, 6);
  });

  it('is the mean of the training rows for a number', async () => {
    // Training y = 1, 2, 3, 4, 10: mean 4, population deviation √10; the test rows 0 and 8 both miss it by 4.
    const train = csv('values.csv', ['x,y', '1,1', '2,2', '3,3', '4,4', '5,10']);
    const test = csv('values-test.csv', ['x,y', '1,0', '2,8']);
    const run = await trainHere({ ...request(train, { layers: [3], epochs: 5, val: 0, test: 0, task: 'regression' }), testFile: test });
    const constant = run.summary.baselines!.constant;
    expect(constant.name).toBe('mean');
    expect(constant.train!.rmse).toBeCloseTo(Math.sqrt(10), 5);
    expect(constant.train!.r2).toBeCloseTo(0, 6);
    expect(constant.test!.rmse).toBeCloseTo(4, 5);
    // The test rows' own mean is 4 too: the constant explains none of their spread.
    expect(constant.test!.r2).toBeCloseTo(0, 6);
  });
});

describe('the linear baseline', () => {
  it('is bit for bit the run of the same settings with no hidden layer, which is its own baseline', async () => {
    const settings = { epochs: 30, batch: 16, optimizer: 'momentum', learningRate: 0.05, l2: 0.001, seed: 7 } as const;
    const deep = await trainHere(request(dataset('iris.csv'), { ...settings, layers: [8, 4] }));
    const flat = await trainHere(request(dataset('iris.csv'), { ...settings, layers: [] }));
    const linear = deep.summary.baselines!.linear!;
    expect(linear.itself).toBe(false);
    expect(linear.epochs).toBe(30);
    expect(splitsOf(linear)).toEqual(splitsOf(flat.summary));
    expect(deep.summary.baselines!.constant).toEqual(flat.summary.baselines!.constant);
    expect(deep.summary.baselines!.note).toBe('');
    // A network without hidden layers is not trained twice: its baseline is itself, and says so.
    expect(flat.summary.baselines!.linear).toEqual({ ...splitsOf(flat.summary), epochs: 30, itself: true, message: '' });
    expect(flat.summary.baselines!.note).toBe('The network has no hidden layer: it is the linear baseline itself.');
  });

  it('trains with early stopping on the validation rows, for at most the epochs the network trained', async () => {
    const run = await trainHere(request(dataset('iris.csv'), { earlyStop: 5, epochs: 500, seed: 3 }));
    const trained = run.summary.epochs;
    expect(trained).toBeLessThan(500);
    const linear = run.summary.baselines!.linear!;
    expect(linear.epochs).toBeLessThanOrEqual(trained);
    expect(run.summary.baselines!.note).toBe(`The linear baseline was given at most the ${trained} epochs the network trained.`);
  });

  it('cannot reach what a hidden layer does on XOR clusters, and the verdict says so', async () => {
    const file = csv('xor-clusters.csv', toyCsv(toyDataset('xor-clusters')).trim().split('\n'));
    const run = await trainHere(request(file, { layers: [8], activation: 'tanh', epochs: 150 }));
    const { summary } = run;
    const baselines = summary.baselines!;
    expect(summary.test!.accuracy).toBeGreaterThan(0.9);
    expect(baselines.linear!.test!.accuracy).toBeLessThan(0.7);
    const verdict = baselineVerdict(summary, baselines, false, (v) => `${(v * 100).toFixed(1)}%`)!;
    expect(verdict.beats).toBe(true);
    expect(verdict.sentence).toMatch(/^The network beats the linear baseline on the test rows \(accuracy \d+\.\d% against \d+\.\d%\)/);
  });

  it('is left out, with a note, when a stop comes while it trains', async () => {
    const run = await trainHere(request(dataset('iris.csv'), { epochs: 50 }), () => true);
    expect(run.status).toBe('finished');
    expect(run.summary.baselines!.linear).toBeNull();
    expect(run.summary.baselines!.note).toBe('The linear baseline was left out: training was stopped while it was being trained.');
    expect(run.summary.baselines!.constant.test!.accuracy).toBeCloseTo(1 / 3, 6);
  });
});

describe('a stop while a run finishes', () => {
  it('still ends the run at once, which keeps what it learned', async () => {
    // The linear baseline trains as many epochs as the network did, in slices the stop is heard between.
    const file = writeRings(home.dir, 20_000);
    const epochs = 12;
    const session = await TrainingSession.create(launcher, home.dir, request(file, { layers: [4], batch: 4, epochs, val: 0.1, test: 0.1 }));
    await session.start();
    await epochsReached(session, epochs);
    const stopped = await session.stop();
    await session.exited;
    expect(stopped.epoch).toBe(epochs);
    const run = await store.get(session.run);
    expect(run.status).toBe('finished');
    expect(run.summary.baselines!.linear).toBeNull();
    expect(run.summary.baselines!.note).toMatch(/left out: training was stopped/);
    const saved = JSON.parse(readFileSync(join(store.runDir(run.id), 'run.json'), 'utf8'));
    expect(saved.summary.baselines.constant.name).toBe('majority');
  });
});

describe('the verdict', () => {
  const scores = (accuracy: number) => ({ loss: 1 - accuracy, accuracy });
  const baselines = (constant: number, linear: number | null): RunBaselines => ({
    constant: { name: 'majority', train: null, val: scores(constant), test: null },
    linear: linear === null ? null : { train: null, val: scores(linear), test: null, epochs: 1, itself: false, message: '' },
    note: '',
  });
  const summary = (accuracy: number) => ({ train: scores(1), val: scores(accuracy), test: null });
  const percent = (v: number) => `${v * 100}%`;

  it('compares on the held-out rows: the constant model first, then the linear one', () => {
    expect(baselineVerdict(summary(0.5), baselines(0.5, 0.7), false, percent)).toEqual({
      beats: false,
      sentence: 'The network does no better than the majority baseline on the validation rows (accuracy 50% against 50%): it has learned nothing from the inputs that it can use.',
    });
    expect(baselineVerdict(summary(0.7), baselines(0.5, 0.7), false, percent)!.sentence)
      .toBe('The network does no better than the linear baseline on the validation rows (accuracy 70% against 70%): a model with no hidden layer does as well.');
    expect(baselineVerdict(summary(0.9), baselines(0.5, 0.7), false, percent)!.sentence)
      .toBe('The network beats the linear baseline on the validation rows (accuracy 90% against 70%) and the majority baseline (50%).');
    expect(baselineVerdict(summary(0.9), baselines(0.5, null), false, percent)!.sentence)
      .toBe('The network beats the majority baseline on the validation rows (accuracy 90% against 50%).');
  });

  it('reads a lower RMSE as better', () => {
    const rmse = (value: number) => ({ loss: value, rmse: value, r2: 0 });
    const b: RunBaselines = {
      constant: { name: 'mean', train: rmse(3), val: null, test: null },
      linear: { train: rmse(2), val: null, test: null, epochs: 1, itself: false, message: '' },
      note: '',
    };
    expect(baselineVerdict({ train: rmse(1), val: null, test: null }, b, true, String)!.beats).toBe(true);
    expect(baselineVerdict({ train: rmse(2.5), val: null, test: null }, b, true, String)!.sentence)
      .toBe('The network does no better than the linear baseline on the training rows (RMSE 2.5 against 2): a model with no hidden layer does as well.');
  });
});
