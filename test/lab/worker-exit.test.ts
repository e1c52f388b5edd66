import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkerCommand } from '../../common/worker-protocol';
import { TrainingSession } from '../../main/lab/training-session';
import type { WorkerHandle } from '../../main/lab/worker-launcher';
import { nodeWorkerLauncher } from '../../main/lab/worker-launcher';
import { RunStore } from '../../main/store/run-store';
import { join } from 'node:path';
import { dataset, lastJson, repoRoot, runCli, tempHome } from '../support/cli';
import { fakeWorker, READY_PROGRESS, request } from './session-helpers';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const home = tempHome();
afterAll(() => home.cleanup());

/** Keeps this process's event loop from turning, so what the child does meanwhile is all waiting at once. */
function block(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* busy */ }
}

const exitOf = (worker: WorkerHandle) => new Promise<[number | null, string | null]>((resolve) => worker.onExit((code, signal) => resolve([code, signal])));

describe('the host of a worker process', () => {
  it('survives writing to a worker that has just died (EPIPE), and hears how it died', async () => {
    const worker = nodeWorkerLauncher(fixture('dies-on-message.mjs'))();
    const exit = exitOf(worker);
    const command: WorkerCommand = { type: 'start', seq: 1 };
    worker.send(command);
    // The worker dies while this process cannot notice; the next writes go to a closed pipe.
    block(500);
    for (let seq = 2; seq < 6; seq++) worker.send({ type: 'start', seq });
    expect(await exit).toEqual([null, 'SIGKILL']);
    // An unhandled 'error' from the failed writes would fail this test file.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it('hears a worker’s exit only after every message it sent before exiting', async () => {
    const worker = nodeWorkerLauncher(fixture('says-then-exits.mjs'))();
    const heard: number[] = [];
    let heardAtExit = -1;
    worker.onMessage((message) => heard.push((message as { i: number }).i));
    const exit = new Promise<void>((resolve) => worker.onExit(() => {
      heardAtExit = heard.length;
      resolve();
    }));
    block(500);
    await exit;
    expect(heardAtExit).toBe(200);
  });
});

describe('a session that cannot open', () => {
  it('ends its worker, so the command that asked ends too', async () => {
    let worker: WorkerHandle | undefined;
    const launch = () => (worker = nodeWorkerLauncher(join(repoRoot, 'out', 'main', 'worker.js'))());
    // Past the epochs rule: a host that skipped the check sends what the worker refuses.
    const refused = TrainingSession.create(launch, home.dir, request(dataset('iris.csv'), { epochs: 20_000_000 }));
    await expect(refused).rejects.toThrow(/Malformed command/);
    await expect(exitOf(worker!)).resolves.toBeDefined();
  });
});

describe('a session whose training fails', () => {
  it('says what the worker said (a full disk), not only that it stopped', async () => {
    const said = 'The lab folder /lab cannot be written: the disk is full. Run 20260101-120000-ab12 is kept at its last checkpoint; once the folder can be written again, resume it.';
    const fake = fakeWorker((command, worker) => {
      if (command.type === 'configure') queueMicrotask(() => worker.deliver({ type: 'ready', run: '20260101-120000-ab12', progress: READY_PROGRESS, warnings: [] }));
      if (command.type === 'start') {
        queueMicrotask(() => worker.deliver({ type: 'ack', seq: command.seq, progress: { ...READY_PROGRESS, state: 'training' } }));
        setTimeout(() => {
          worker.deliver({ type: 'error', seq: null, message: said, fatal: true });
          worker.exit(1, null);
        }, 10);
      }
    });
    const session = await TrainingSession.create(() => fake, home.dir, request(dataset('iris.csv')));
    await session.start();
    await session.exited;
    expect(session.state).toBe('failed');
    expect(session.exitMessage).toBe(said);
  });
});

describe('a session whose worker exits cleanly without its last word', () => {
  it('ends as the run store says the run ended, not as a crash', async () => {
    const trained = await runCli(['train', dataset('iris.csv'), '--epochs', '3', '--home', home.dir, '--json']);
    const run = lastJson<{ run: string }>(trained).run;
    // A worker that reports the run ready, and on start trains it to the end and exits 0, its 'done' lost.
    const fake = fakeWorker((command, worker) => {
      if (command.type === 'configure') queueMicrotask(() => worker.deliver({ type: 'ready', run, progress: READY_PROGRESS, warnings: [] }));
      if (command.type === 'start') setTimeout(() => worker.exit(0, null), 10);
    });
    const session = await TrainingSession.create(() => fake, home.dir, { file: dataset('iris.csv'), roles: {}, settings: (await new RunStore(home.dir).get(run)).request.settings });
    const events: string[] = [];
    session.subscribe((event) => events.push(event.type === 'exit' ? `exit:${event.expected}` : event.type));
    await session.start().catch(() => {});
    await session.exited;
    expect(session.state).toBe('finished');
    expect(session.exitMessage).toBe('');
    expect(events).toContain('done');
    expect(events.at(-1)).toBe('exit:true');
    expect((await new RunStore(home.dir).get(run)).status).toBe('finished');
  });
});
