import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabBackend } from '../../main/lab/lab-backend';
import type { WorkerHandle } from '../../main/lab/worker-launcher';
import { dataset, tempHome } from '../support/cli';
import { fakeWorker, launcher, READY_PROGRESS } from './session-helpers';
import { sessionArgs } from '../support/settings';

const home = tempHome();
const workers: WorkerHandle[] = [];
const counting = () => {
  const worker = launcher();
  workers.push(worker);
  return worker;
};
const lab = new LabBackend(home.dir, counting);
afterAll(() => {
  lab.shutdown();
  for (const worker of workers) worker.kill();
  home.cleanup();
});

describe('sessions the lab keeps', () => {
  it('a run resumed twice at once gets one session and one worker', async () => {
    const data = await lab.openDatasetPath(dataset('iris.csv'));
    const info = await lab.createSession(data.id, ...sessionArgs({
      missingPolicy: 'drop', standardize: true, layers: [8], activation: 'relu', loss: 'auto', init: 'auto', bias: true, optimizer: 'adam',
      momentum: 0.9, learningRate: 0.01, schedule: 'constant', epochs: 100_000, batch: 8, l2: 0, seed: 1, val: 0.2, test: 0.2, earlyStop: null,
    }));
    await lab.step(info.run, 5);
    await lab.stop(info.run);
    while ((await lab.sessions()).length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const before = workers.length;

    const [a, b] = await Promise.allSettled([lab.resumeRun(info.run), lab.resumeRun(info.run)]);
    expect(workers.length - before).toBe(1);
    expect(a.status).toBe('fulfilled');
    expect(b.status).toBe('fulfilled');
    expect(await lab.sessions()).toHaveLength(1);
    await lab.stop(info.run);
  });
});

describe('resuming a run that is not there', () => {
  it('is refused without starting a training process', async () => {
    const before = workers.length;
    await expect(lab.resumeRun('20260101-120000-ab12')).rejects.toThrow(/^There is no run "20260101-120000-ab12" in /);
    await expect(lab.resumeRun('../../outside')).rejects.toThrow('"../../outside" is not a run id (they look like 20260101-120000-ab12).');
    await expect(Promise.all(Array.from({ length: 20 }, (_, i) => lab.resumeRun(`20260101-120000-${String(i).padStart(4, '0')}`)))).rejects.toThrow(/There is no run/);
    expect(workers.length).toBe(before);
  });
});

describe('open datasets', () => {
  it('keeps a dataset’s reading options when a new choice of them fails', async () => {
    const data = await lab.openDatasetPath(dataset('iris.csv'));
    await expect(lab.inspectDataset(data.id, {}, { delimiter: ';' })).rejects.toThrow(/single column/);
    const again = await lab.inspectDataset(data.id, { target: 'species' });
    expect(again.summary.columns).toHaveLength(5);
  });
});

describe('uploaded files', () => {
  it('keeps an upload whose name is only dots as a file in its own folder of the lab folder', async () => {
    const bytes = new TextEncoder().encode('x,y\n1,2\n3,4\n');
    for (const name of ['.', '..', '...', ' . ', '/']) {
      const data = await lab.uploadDataset(name, bytes);
      expect(data).toMatchObject({ name: 'data.csv', rows: 2 });
    }
    for (const entry of readdirSync(join(home.dir, 'datasets'))) {
      expect(statSync(join(home.dir, 'datasets', entry)).isDirectory(), entry).toBe(true);
      expect(readdirSync(join(home.dir, 'datasets', entry)).every((file) => !/^[. ]*$/.test(file))).toBe(true);
    }
  });
});

describe('a snapshot asked for as the run ends', () => {
  it('is never answered with something that is not weights', async () => {
    // A worker whose run finishes just as the snapshot request reaches it: it answers with the run's end.
    const fake = fakeWorker((command, worker) => {
      if (command.type === 'configure') queueMicrotask(() => worker.deliver({ type: 'ready', run: '20260101-120000-ab12', progress: READY_PROGRESS, warnings: [] }));
      if (command.type === 'snapshot') {
        queueMicrotask(() => worker.deliver({ type: 'done', progress: { ...READY_PROGRESS, state: 'finished' }, status: 'finished', message: '', model: '/nowhere/model.json' }));
      }
    });
    const fakeLab = new LabBackend(home.dir, () => fake);
    const data = await fakeLab.openDatasetPath(dataset('iris.csv'));
    const info = await fakeLab.createSession(data.id, ...sessionArgs({
      missingPolicy: 'drop', standardize: true, layers: [8], activation: 'relu', loss: 'auto', init: 'auto', bias: true, optimizer: 'adam',
      momentum: 0.9, learningRate: 0.01, schedule: 'constant', epochs: 1, batch: 8, l2: 0, seed: 1, val: 0.2, test: 0.2, earlyStop: null,
    }));
    const outcome = await fakeLab.snapshot(info.run).then((layers) => ({ layers }), (error: Error) => ({ error: error.message }));
    expect(outcome).toEqual({ error: expect.stringMatching(/has no saved model yet/) });
  });

  it('resumes a run asked for at the moment it ends, in a new worker, rather than handing back the ended one', async () => {
    const data = await lab.openDatasetPath(dataset('iris.csv'));
    const info = await lab.createSession(data.id, ...sessionArgs({
      missingPolicy: 'drop', standardize: true, layers: [8], activation: 'relu', loss: 'auto', init: 'auto', bias: true, optimizer: 'adam',
      momentum: 0.9, learningRate: 0.01, schedule: 'constant', epochs: 5, batch: 8, l2: 0, seed: 2, val: 0.2, test: 0.2, earlyStop: null,
    }));
    const ended = new Promise<void>((resolve) => {
      const off = lab.subscribe((event) => {
        if (event.type === 'done' && event.run === info.run) {
          off();
          resolve();
        }
      });
    });
    await lab.start(info.run);
    await ended;
    // The worker is still saying goodbye: the resumed session must be a new one, paused and ready to go on.
    const resumed = await lab.resumeRun(info.run, 8);
    expect(resumed.state).toBe('paused');
    expect(resumed.progress!.epochs).toBe(8);
    await lab.resume(info.run);
    while ((await lab.sessions()).length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await lab.getRun(info.run)).metrics).toHaveLength(8);
  });
});


describe('sessions left alone', () => {
  it('are stopped once idle, keeping their runs resumable, while one that trains is left to train', async () => {
    const idleLab = new LabBackend(home.dir, launcher, { idleSessionMs: 300 });
    const data = await idleLab.openDatasetPath(dataset('iris.csv'));
    const idle = await idleLab.createSession(data.id, ...sessionArgs({ epochs: 5 }));
    const busy = await idleLab.createSession(data.id, ...sessionArgs({ epochs: 10_000_000, earlyStop: null }));
    await idleLab.start(busy.run);
    while ((await idleLab.sessions()).some((s) => s.run === idle.run)) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await idleLab.store.get(idle.run)).status).toBe('stopped');
    expect((await idleLab.sessions()).map((s) => [s.run, s.state])).toEqual([[busy.run, 'training']]);
    await idleLab.stop(busy.run);
    const resumed = await idleLab.resumeRun(idle.run);
    expect(resumed.state).toBe('paused');
    await idleLab.stop(idle.run);
  });
});
