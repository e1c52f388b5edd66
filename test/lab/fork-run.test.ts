import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabBackend } from '../../main/lab/lab-backend';
import { dataset, tempHome } from '../support/cli';
import { launcher, runDone } from './session-helpers';
import { sessionArgs, type FlatSettings } from '../support/settings';

const home = tempHome();
const lab = new LabBackend(home.dir, launcher);
afterAll(() => {
  lab.shutdown();
  home.cleanup();
});

const settings: FlatSettings = { layers: [6], activation: 'tanh', optimizer: 'adam', learningRate: 0.02, epochs: 12, batch: 16, seed: 3, earlyStop: null };

/** Every weight and bias of a snapshot, in order. */
const flat = (layers: { weights: ArrayLike<number>; bias: ArrayLike<number> | null }[]) => layers.flatMap((l) => [...Array.from(l.weights), ...Array.from(l.bias ?? [])]);

describe('forking a run from a checkpoint', () => {
  it('starts the new run from exactly the weights of the chosen epoch, and records its parent', async () => {
    const data = await lab.openDatasetPath(dataset('iris.csv'));
    const parent = await lab.createSession(data.id, ...sessionArgs(settings));
    const done = runDone(lab, parent.run);
    await lab.start(parent.run);
    await done;

    const timeline = await lab.checkpoints(parent.run);
    expect(timeline.map((c) => c.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const metricsLog = (await lab.getRun(parent.run)).metrics;
    expect(timeline[4]!.metrics).toEqual(metricsLog[4]);
    const at5 = flat(await lab.checkpointSnapshot(parent.run, 5));
    const at12 = flat(await lab.checkpointSnapshot(parent.run, 12));
    // The last epoch's checkpoint holds the weights the run saved as its model.
    expect(at12).toEqual(flat(await lab.snapshot(parent.run)));
    expect(at5).not.toEqual(at12);

    const [, changed] = sessionArgs({ ...settings, learningRate: 0.005, epochs: 4 });
    const child = await lab.forkRun(parent.run, 5, changed);
    expect(child.run).not.toBe(parent.run);
    expect(child.warnings).toContain(`Forked from run "${parent.name}" at epoch 5, with its weights and optimizer state.`);
    expect(flat(await lab.snapshot(child.run))).toEqual(at5);

    const record = JSON.parse(await readFile(join(home.dir, 'runs', child.run, 'run.json'), 'utf8'));
    expect(record.parent).toEqual({ run: parent.run, epoch: 5 });
    expect(record.request.settings.learningRate).toBe(0.005);
    expect((await lab.listRuns()).runs.find((r) => r.id === child.run)!.parent).toEqual({ run: parent.run, epoch: 5 });

    // Trained on from there, the fork's first epoch moves away from the parent's checkpoint.
    const childDone = runDone(lab, child.run);
    await lab.start(child.run);
    await childDone;
    const forkTimeline = await lab.checkpoints(child.run);
    expect(forkTimeline.map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
    expect(flat(await lab.checkpointSnapshot(child.run, 1))).not.toEqual(at5);
  });

  it('refuses a form whose layers differ from the checkpoint\'s, in a sentence, without making a run', async () => {
    const data = await lab.openDatasetPath(dataset('iris.csv'));
    const parent = await lab.createSession(data.id, ...sessionArgs({ ...settings, epochs: 2 }));
    const done = runDone(lab, parent.run);
    await lab.start(parent.run);
    await done;
    const before = (await lab.listRuns()).runs.length;
    const [, wider] = sessionArgs({ ...settings, layers: [9] });
    await expect(lab.forkRun(parent.run, 2, wider)).rejects.toThrow(
      `The network in the form (4 → 9 tanh → 3 softmax) differs from the one of run "${parent.name}" (4 → 6 tanh → 3 softmax); a fork keeps the layers of the run it starts from.`,
    );
    await expect(lab.forkRun(parent.run, 7, wider)).rejects.toThrow(`Run ${parent.run} has no checkpoint at epoch 7.`);
    expect((await lab.listRuns()).runs.length).toBe(before);
  });
});
