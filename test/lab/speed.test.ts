import { afterAll, describe, expect, it } from 'vitest';
import { TrainingSession } from '../../main/lab/training-session';
import { dataset, tempHome } from '../support/cli';
import { launcher, request } from './session-helpers';

const home = tempHome();
afterAll(home.cleanup);

/** The steps of the progress messages a session sends until `count` of them have come. */
function progressSteps(session: TrainingSession, count: number): Promise<number[]> {
  const steps: number[] = [];
  return new Promise((resolve) => {
    const off = session.subscribe((event) => {
      if (event.type !== 'progress') return;
      steps.push(event.progress.step);
      if (steps.length >= count) {
        off();
        resolve(steps);
      }
    });
  });
}

describe('slow motion', () => {
  it('trains one mini-batch at a time, each reported, until full speed is asked for again', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { batch: 8, epochs: 100_000 }));
    await session.setSpeed(20);
    const seen = progressSteps(session, 6);
    const started = await session.start();
    const steps = await seen;
    // Each progress message is one step further than the one before: none is skipped, none trained in a bunch.
    steps.forEach((step, i) => expect(step - (i === 0 ? started.step : steps[i - 1]!)).toBeLessThanOrEqual(1));
    expect(steps.at(-1)! - started.step).toBeLessThanOrEqual(6);
    await session.setSpeed(null);
    // At full speed a slice trains many mini-batches between reports.
    const fast = await progressSteps(session, 3);
    expect(Math.max(...fast.slice(1).map((s, i) => s - fast[i]!))).toBeGreaterThan(1);
    await session.stop();
    await session.exited;
  });

  it('refuses a speed outside 1 to 60 steps a second in a sentence', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { epochs: 3 }));
    await expect(session.setSpeed(0)).rejects.toThrow(/Malformed command/);
    await session.stop();
    await session.exited;
  });
});
