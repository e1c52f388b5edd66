import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingSession } from '../../main/lab/training-session';
import type { WorkerHandle } from '../../main/lab/worker-launcher';
import { RunStore } from '../../main/store/run-store';
import { reopenRun } from '../../main/training/run-setup';
import { dataset, tempHome } from '../support/cli';
import { epochsReached, launcher, request } from './session-helpers';
import { HISTORY_LIMIT } from '../../engine/history';

const home = tempHome();
afterAll(home.cleanup);
const store = new RunStore(home.dir);

const epochNumbers = (run: string): number[] =>
  readFileSync(join(store.runDir(run), 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);

/** Many short epochs: every slice ends several, so the loop is always writing metrics when a command arrives. */
const fastRequest = () => request(dataset('seed-xor.csv'), {
  layers: [4], activation: 'sigmoid', batch: 'full', val: 0, test: 0, epochs: 10_000_000, optimizer: 'sgd', learningRate: 1,
});

describe('commands that reach the worker while it trains', () => {
  it('pause, resume and stop while epochs are being written leave every epoch in the log exactly once', async () => {
    const session = await TrainingSession.create(launcher, home.dir, fastRequest());
    await session.start();
    for (let i = 0; i < 5; i++) {
      await epochsReached(session, session.epochs.length + 1000);
      await session.pause();
      await session.resume();
    }
    await epochsReached(session, session.epochs.length + 1000);
    await session.stop();
    await session.exited;
    const epochs = epochNumbers(session.run);
    expect(epochs.length).toBe(new Set(epochs).size);
    // Past HISTORY_LIMIT epochs the older ones are thinned: the log still holds each epoch at most once, in
    // order, and the newest whole, up to the epoch the run stopped at.
    expect(epochs.every((e, i) => i === 0 || e > epochs[i - 1]!)).toBe(true);
    const whole = epochs.slice(-Math.min(epochs.length, 5000));
    expect(whole).toEqual(whole.map((_, i) => epochs.at(-1)! - whole.length + 1 + i));
    if (epochs.at(-1)! <= HISTORY_LIMIT) expect(epochs).toEqual(epochs.map((_, i) => i + 1));
    const stopped = await store.get(session.run);
    expect(stopped.status).toBe('stopped');
    expect(epochs.at(-1)).toBe(stopped.summary.epochs);
  });

  it('answers each of two overlapping step requests', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { batch: 8, epochs: 100_000 }));
    const first = session.step(3);
    const second = session.step(4);
    const settled = await Promise.race([
      Promise.all([first, second]).then(([a, b]) => [a.step, b.step]),
      new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), 5000)),
    ]);
    expect(settled).toEqual([3, 7]);
    await session.stop();
    await session.exited;
  });

  it('a pause ends a long step where it is, and a start during one leaves the run marked training', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { batch: 8, epochs: 100_000 }));
    const longStep = session.step(1_000_000);
    await epochsReached(session, 20);
    const paused = await session.pause();
    const stepped = await longStep;
    expect(stepped.step).toBeLessThanOrEqual(paused.step);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await session.step(1)).step).toBe(paused.step + 1);

    const another = session.step(1_000_000);
    await epochsReached(session, session.epochs.length + 20);
    await session.start();
    await another;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await store.get(session.run)).status).toBe('training');
    await session.stop();
    await session.exited;
  });
});

describe('a run that a live session holds', () => {
  it('cannot be reopened by a second process while it is paused', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { batch: 8, epochs: 100_000 }));
    await session.step(30);
    const record = await store.get(session.run);
    expect(record).toMatchObject({ status: 'paused', pid: session.pid });
    await expect(reopenRun(store, session.run, undefined, process.pid)).rejects.toThrow(/being trained by another process/);
    expect((await store.get(session.run)).pid).toBe(session.pid);
    await session.stop();
    await session.exited;
  });
});

describe('a run whose validation loss is not a number', () => {
  it('ends as diverged, reported as an expected end, not as a crash', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), {
      target: 'sepal_length', optimizer: 'sgd', learningRate: 1e30, batch: 'full', epochs: 10,
    }));
    const exits: unknown[] = [];
    session.subscribe((event) => { if (event.type === 'exit' || event.type === 'warning') exits.push(event); });
    await session.start();
    await session.exited;
    expect(exits).toEqual([{ type: 'exit', expected: true, message: '' }]);
    expect(session.state).toBe('diverged');
    expect(session.progress!.valLoss).toBeNull();
    expect((await store.get(session.run)).status).toBe('diverged');
  });
});

describe('epoch metrics from the worker', () => {
  it('are checked like every other message: a malformed one is refused, a diverged epoch’s NaN passes', async () => {
    let deliver: (message: unknown) => void = () => {};
    const fake: WorkerHandle = {
      pid: undefined,
      send: (command) => {
        if (command.type !== 'configure') return;
        const progress = {
          state: 'ready', epoch: 0, epochs: 1, step: 0, stepsPerEpoch: 1, samplesPerSecond: 0,
          batchSteps: new Float64Array(0), batchLosses: new Float64Array(0), loss: null, valLoss: null, learningRate: 0.01,
        };
        queueMicrotask(() => deliver({ type: 'ready', run: '20260101-120000-ab12', progress, warnings: [] }));
      },
      onMessage: (handler) => { deliver = handler; },
      onExit: () => {},
      kill: () => {},
    };
    const session = await TrainingSession.create(() => fake, home.dir, request(dataset('iris.csv')));
    const warnings: string[] = [];
    session.subscribe((event) => { if (event.type === 'warning') warnings.push(event.message); });
    deliver({ type: 'epochs', metrics: [{ epoch: 'one', train: {} }] });
    expect(session.epochs).toEqual([]);
    expect(warnings).toHaveLength(1);
    deliver({ type: 'epochs', metrics: [{ epoch: 1, step: 1, learningRate: 0.01, train: { loss: Number.NaN } }] });
    expect(session.epochs).toHaveLength(1);
  });
});
