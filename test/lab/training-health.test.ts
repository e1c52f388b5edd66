import { afterAll, describe, expect, it } from 'vitest';
import { LabBackend } from '../../main/lab/lab-backend';
import { TrainingSession } from '../../main/lab/training-session';
import type { TrainingHealth } from '../../engine/health';
import { dataset, tempHome } from '../support/cli';
import { sessionArgs } from '../support/settings';
import { launcher, request, runDone } from './session-helpers';

const home = tempHome();
const lab = new LabBackend(home.dir, launcher);
afterAll(() => {
  lab.shutdown();
  home.cleanup();
});

/** The health messages a session sends until `count` of them have come. */
function healthEvents(session: TrainingSession, count: number): Promise<TrainingHealth[]> {
  const seen: TrainingHealth[] = [];
  return new Promise((resolve) => {
    const off = session.subscribe((event) => {
      if (event.type !== 'health') return;
      seen.push(event.health);
      if (seen.length >= count) {
        off();
        resolve(seen);
      }
    });
  });
}

describe('training health in the lab', () => {
  it('is measured at the ends of epochs while a run trains, its history growing', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { batch: 8, epochs: 100_000 }));
    const coming = healthEvents(session, 3);
    await session.start();
    const [first, second, third] = await coming;
    await session.stop();
    await session.exited;
    expect(first!.epoch).toBeGreaterThanOrEqual(1);
    expect(second!.epoch).toBeGreaterThan(first!.epoch);
    expect(third!.epoch).toBeGreaterThan(second!.epoch);
    expect(third!.history.map((s) => s.epoch)).toEqual([first!.epoch, second!.epoch, third!.epoch]);
    expect(third!.layers.at(-1)).toMatchObject({ activation: 'softmax', units: 3 });
    expect(third!.history.at(-1)!.layers).toHaveLength(third!.layers.length);
    for (const layer of third!.history.at(-1)!.layers) expect(layer.weights.counts).toHaveLength(20);
  });

  it('answers health(run) while training and after the end, from the run’s summary', async () => {
    const data = await lab.openExample('iris');
    const info = await lab.createSession(data.id, ...sessionArgs({ epochs: 12 }));
    const done = runDone(lab, info.run);
    expect(await lab.health(info.run)).toBeNull();
    await lab.start(info.run);
    await done;
    const health = await lab.health(info.run);
    expect(health?.epoch).toBeGreaterThan(0);
    expect(health?.warnings.every((w) => w.message.length > 0)).toBe(true);
    const stored = (await lab.getRun(info.run)).run.summary.health;
    expect(stored?.warnings).toEqual(health?.warnings);
    await expect(lab.health('20990101-000000-abcd')).rejects.toThrow(/no run/i);
  });
});
