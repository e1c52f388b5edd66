import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TrainingSession, type SessionEvent } from '../../main/lab/training-session';
import { RunStore } from '../../main/store/run-store';
import { dataset, tempHome } from '../support/cli';
import { epochsReached, launcher, request, writeRings } from './session-helpers';

const home = tempHome();
afterAll(home.cleanup);
const store = new RunStore(home.dir);

const metricsOf = (run: string) => readFileSync(join(store.runDir(run), 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('a training session in its own process', () => {
  it('starts paused, steps exactly, pauses and resumes on batch boundaries, and stops keeping the run', async () => {
    // iris: 90 training rows in batches of 8 is 12 steps per epoch.
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { batch: 8, epochs: 100_000 }));
    expect(session.state).toBe('ready');
    expect(session.progress!.step).toBe(0);
    expect(session.progress!.stepsPerEpoch).toBe(12);
    expect((await store.get(session.run)).status).toBe('queued');

    // Step is allowed before start: one mini-batch, then five more.
    expect((await session.step(1)).step).toBe(1);
    expect((await session.step(5)).step).toBe(6);
    expect(session.state).toBe('paused');

    await session.start();
    await epochsReached(session, 3);
    const paused = await session.pause();
    expect(paused.state).toBe('paused');
    expect((await store.get(session.run)).status).toBe('paused');
    // Nothing moves while paused.
    const again = await session.step(1);
    expect(again.step).toBe(paused.step + 1);
    expect((await session.step(12)).step).toBe(paused.step + 13);

    const resumed = await session.resume();
    expect(resumed.state).toBe('training');
    await epochsReached(session, session.epochs.length + 2);
    const stopped = await session.stop();
    await session.exited;
    const run = await store.get(session.run);
    expect(run.status).toBe('stopped');
    expect(run.summary.steps).toBe(stopped.step);
    expect(run.summary.message).toMatch(/^Stopped (in epoch \d+, after step \d+|before the first step)\./);
    // Every step counted exactly: epochs in the log sit on multiples of the epoch length.
    for (const m of metricsOf(session.run)) expect(m.step).toBe(m.epoch * 12);
    expect(readdirSync(store.runDir(session.run)).sort()).toEqual(['checkpoint.json', 'checkpoints', 'metrics.jsonl', 'model.json', 'run.json']);
  });

  it('records a learning-rate change made while paused, with the step it applies from', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { epochs: 100_000 }));
    await session.step(7);
    await session.setLearningRate(0.002);
    await session.step(1);
    await expect(session.start().then(() => session.setLearningRate(0.1))).rejects.toThrow(/Pause training before changing the learning rate/);
    await session.stop();
    await session.exited;
    const run = await store.get(session.run);
    expect(run.settingChanges).toEqual([{ step: 7, setting: 'learningRate', from: 0.01, to: 0.002 }]);
  });

  it('keeps progress messages to about 20 a second however fast it trains', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('seed-xor.csv'), {
      layers: [4], activation: 'sigmoid', batch: 'full', val: 0, test: 0, epochs: 300_000, optimizer: 'sgd', learningRate: 1,
    }));
    let progressMessages = 0;
    session.subscribe((e) => { if (e.type === 'progress') progressMessages++; });
    const began = performance.now();
    await session.start();
    await epochsReached(session, 100_000);
    const final = await session.stop();
    const elapsedMs = performance.now() - began;
    await session.exited;
    // Thousands of steps per message: the rate follows the clock, not the step count.
    expect(final.step).toBeGreaterThan(50 * Math.max(1, progressMessages));
    expect(progressMessages).toBeLessThanOrEqual(elapsedMs / 50 + 3);
  });

  it('refuses commands it cannot take, with a plain message, and stays usable', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { epochs: 100_000 }));
    await session.start();
    await expect(session.step(1)).rejects.toThrow(/Pause training before stepping/);
    await session.pause();
    expect((await session.step(1)).state).toBe('paused');
    await session.setLearningRate(1);
    await session.stop();
    await session.exited;
    expect((await store.get(session.run)).status).toBe('stopped');
    await expect(session.step(1)).rejects.toThrow(/has ended/);
  });

  it('reports a bad configuration as an error without leaving a run behind', async () => {
    await expect(TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { target: 'colour' }))).rejects.toThrow(/has no column "colour"/);
  });
});

describe('a worker that dies', () => {
  it('leaves its run interrupted and resumable, and the resumed run repeats the uninterrupted loss history exactly', async () => {
    const file = writeRings(home.dir, 4000);
    const settings = request(file, { epochs: 40, seed: 11, batch: 16 });

    const reference = await TrainingSession.create(launcher, home.dir, settings);
    await reference.start();
    await reference.exited;
    const expected = metricsOf(reference.run);
    expect(expected).toHaveLength(40);

    const victim = await TrainingSession.create(launcher, home.dir, settings);
    const events: SessionEvent[] = [];
    victim.subscribe((e) => events.push(e));
    await victim.start();
    await epochsReached(victim, 6);
    process.kill(victim.pid!, 'SIGKILL');
    await victim.exited;
    expect(victim.state).toBe('failed');
    const exit = events.find((e) => e.type === 'exit');
    expect(exit).toMatchObject({ type: 'exit', expected: false });
    expect((exit as { message: string }).message).toMatch(/killed \(SIGKILL\); run .* interrupted .* nnlab runs resume/);

    const interrupted = await store.get(victim.run);
    expect(interrupted.status).toBe('interrupted');
    // The epoch checkpoints' folder too: every file whole.
    for (const name of readdirSync(store.runDir(victim.run), { recursive: true, encoding: 'utf8' })) {
      if (statSync(join(store.runDir(victim.run), name)).isDirectory()) continue;
      const text = readFileSync(join(store.runDir(victim.run), name), 'utf8');
      if (name.endsWith('.jsonl')) text.trim().split('\n').forEach((line) => JSON.parse(line));
      else JSON.parse(text);
    }

    const resumed = await TrainingSession.reopen(launcher, home.dir, victim.run);
    expect(resumed.state).toBe('paused');
    await resumed.resume();
    await resumed.exited;
    expect((await store.get(victim.run)).status).toBe('finished');
    expect(metricsOf(victim.run)).toEqual(expected);
  });
});

describe('the run store around live sessions', () => {
  it('trains three runs at once, each in its own process', async () => {
    const sessions = await Promise.all([1, 2, 3].map((seed) => TrainingSession.create(launcher, home.dir, request(dataset('penguins.csv'), { target: 'Species', epochs: 100_000, seed }))));
    expect(new Set(sessions.map((s) => s.pid)).size).toBe(3);
    await Promise.all(sessions.map((s) => s.start()));
    await Promise.all(sessions.map((s) => epochsReached(s, 30)));
    // All three are training at the same moment.
    const statuses = await Promise.all(sessions.map(async (s) => (await store.get(s.run)).status));
    expect(statuses).toEqual(['training', 'training', 'training']);
    expect(sessions.map((s) => s.state)).toEqual(['training', 'training', 'training']);
    await Promise.all(sessions.map((s) => s.stop()));
    await Promise.all(sessions.map((s) => s.exited));
    for (const s of sessions) {
      const run = await store.get(s.run);
      expect(run.status).toBe('stopped');
      expect(run.summary.test!.accuracy).toBeGreaterThan(0.9);
    }
  });

  it('lists every readable run when one run.json is damaged, and reports the damaged one', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { epochs: 2 }));
    await session.start();
    await session.exited;
    const before = (await store.list()).runs.length;
    writeFileSync(join(store.runDir(session.run), 'run.json'), '{"schema": 1, "id": ');
    const { runs, damaged } = await store.list();
    expect(runs).toHaveLength(before - 1);
    expect(damaged).toContainEqual({ id: session.run, problem: expect.stringMatching(/not valid JSON/) });
  });

  it('refuses to delete a run another process is training, and deletes it once stopped', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { epochs: 100_000 }));
    await session.step(1);
    await expect(store.remove(session.run)).rejects.toThrow(/is being trained by another process .* stop it there before deleting it/);
    await session.stop();
    await session.exited;
    await store.remove(session.run);
    await expect(store.get(session.run)).rejects.toThrow(/There is no run/);
  });

  it('continues an early-stopped run when more epochs are asked for', async () => {
    const session = await TrainingSession.create(launcher, home.dir, request(dataset('iris.csv'), { epochs: 2000, earlyStop: 3, learningRate: 0.05 }));
    await session.start();
    await session.exited;
    const stoppedEarly = await store.get(session.run);
    expect(stoppedEarly.summary.message).toMatch(/^Stopped early at epoch/);
    const before = stoppedEarly.summary.epochs;
    expect(before).toBeLessThan(2000);

    // Without more epochs, resuming has nothing to do.
    const again = await TrainingSession.reopen(launcher, home.dir, session.run);
    await again.resume();
    await again.exited;
    expect((await store.get(session.run)).summary.epochs).toBe(before);

    const more = await TrainingSession.reopen(launcher, home.dir, session.run, before + 10);
    await more.resume();
    await more.exited;
    const after = await store.get(session.run);
    expect(after.summary.epochs).toBeGreaterThan(before);
    expect(metricsOf(session.run).map((m) => m.epoch)).toEqual(Array.from({ length: after.summary.epochs }, (_, i) => i + 1));
  });
});

