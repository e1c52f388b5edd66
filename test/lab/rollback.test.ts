import { afterAll, describe, expect, it } from 'vitest';
import { TrainingSession } from '../../main/lab/training-session';
import { loadCheckpoint } from '../../main/store/checkpoint';
import { RunStore } from '../../main/store/run-store';
import type { TrainerState } from '../../engine/trainer';
import { dataset, tempHome } from '../support/cli';
import { epochsReached, launcher, request } from './session-helpers';

const home = tempHome();
afterAll(home.cleanup);
const store = new RunStore(home.dir);

/** Resolves once the session reports that it rolled back after diverging. */
function rolledBack(session: TrainingSession): Promise<void> {
  return new Promise((resolve) => {
    const off = session.subscribe((event) => {
      if (event.type === 'progress' && event.progress.state === 'rolled-back') {
        off();
        resolve();
      }
    });
  });
}

/**
 * A run trained three whole epochs at a sane rate, paused at the end of the third (its checkpoint then holds that
 * epoch's state), then set to a learning rate that throws the weights out in the fourth.
 */
async function divergeAfterThreeEpochs(): Promise<{ session: TrainingSession; good: TrainerState; perEpoch: number }> {
  const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { optimizer: 'sgd', learningRate: 0.05, batch: 16, epochs: 1000 }));
  const perEpoch = session.progress!.stepsPerEpoch;
  await session.step(3 * perEpoch);
  const good = await loadCheckpoint(store.runDir(session.run), session.run);
  expect([good.epoch, good.cursor, good.steps]).toEqual([3, 0, 3 * perEpoch]);
  await session.setLearningRate(1e6);
  const rolled = rolledBack(session);
  await session.resume();
  await rolled;
  return { session, good, perEpoch };
}

const flat = (layers: { weights: ArrayLike<number>; bias: ArrayLike<number> | null }[]): number[] =>
  layers.flatMap((l) => [...Array.from(l.weights), ...(l.bias ? Array.from(l.bias) : [])]);

describe('a run that diverges after good epochs', () => {
  it('rolls back to the last good epoch exactly, records it in run.json, and trains on at the lower rate', async () => {
    const { session, good, perEpoch } = await divergeAfterThreeEpochs();
    expect(session.state).toBe('rolled-back');
    expect(session.finished).toBe(false);

    // The weights now, and the checkpoint on disk, are those of the end of epoch 3, bit for bit, optimiser state included.
    const after = await loadCheckpoint(store.runDir(session.run), session.run);
    expect(Array.from(after.parameters)).toEqual(Array.from(good.parameters));
    expect(after.optimizer).toEqual(good.optimizer);
    expect([after.epoch, after.steps, after.cursor]).toEqual([3, 3 * perEpoch, 0]);
    expect(flat((await session.snapshot()).layers)).toEqual(Array.from(good.parameters));

    const record = await store.get(session.run);
    expect(record.status).toBe('paused');
    expect(record.events).toHaveLength(1);
    const [event] = record.events!;
    expect(event).toMatchObject({ kind: 'rollback', epoch: 3, toStep: 3 * perEpoch, suggestedLearningRate: 1e5 });
    expect(event!.step).toBeGreaterThan(3 * perEpoch);
    expect(event!.step).toBeLessThanOrEqual(4 * perEpoch);
    expect(event!.message).toMatch(/learning rate is probably too high/);
    expect(record.settingChanges).toEqual([{ step: 3 * perEpoch, setting: 'learningRate', from: 0.05, to: 1e6 }]);

    // The metrics log holds the good epochs only; continuing at a sane rate trains on from epoch 3's end.
    expect((await store.readMetrics(session.run)).map((m) => m.epoch)).toEqual([1, 2, 3]);
    const continued = await session.continueAfterDivergence(0.005);
    expect(continued.state).toBe('training');
    await epochsReached(session, 6);
    await session.stop();
    await session.exited;
    const metrics = await store.readMetrics(session.run);
    expect(metrics.map((m) => m.epoch).slice(0, 6)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const m of metrics) expect(Number.isFinite(m.train.loss)).toBe(true);
    expect(metrics[4]!.learningRate).toBe(0.005);
    // Epoch 4 began where epoch 3 ended: the rolled-back steps are not counted.
    expect(metrics[3]!.step).toBe(4 * perEpoch);
    const ended = await store.get(session.run);
    expect(ended.status).toBe('stopped');
    // The rate set before the divergence stays until another is chosen: the change is from it.
    expect(ended.settingChanges.at(-1)).toEqual({ step: 3 * perEpoch, setting: 'learningRate', from: 1e6, to: 0.005 });
  });

  it('ends diverged, with the last good weights and its message, when stopped instead of continued', async () => {
    const { session, good } = await divergeAfterThreeEpochs();
    await session.stop();
    await session.exited;
    const record = await store.get(session.run);
    expect(record.status).toBe('diverged');
    expect(record.summary.message).toMatch(/Kept the weights from epoch 3; try a learning rate of 100000 or lower\./);
    expect(Array.from((await loadCheckpoint(store.runDir(session.run), session.run)).parameters)).toEqual(Array.from(good.parameters));
  });

  it('refuses to continue a run that did not roll back, in a sentence', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { epochs: 3 }));
    await expect(session.continueAfterDivergence(0.001)).rejects.toThrow('Only a run rolled back after diverging continues this way; resume it instead.');
    await session.stop();
    await session.exited;
  });
});
