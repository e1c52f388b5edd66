import { afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeWorkerLauncher } from '../../main/lab/worker-launcher';
import type { TrainingSession } from '../../main/lab/training-session';
import type { WorkerHandle } from '../../main/lab/worker-launcher';
import type { WorkerCommand } from '../../common/worker-protocol';
import type { TrainRequest } from '../../common/settings';
import type { LabEvent } from '../../common/lab-api';
import { LabBackend } from '../../main/lab/lab-backend';
import { trainRequest, type FlatSettings } from '../support/settings';
import { Random } from '../../engine/random';
import { repoRoot, tempHome } from '../support/cli';

export const launcher = nodeWorkerLauncher(join(repoRoot, 'out', 'main', 'worker.js'));

/** The lab's 'done' event of a run, once it comes. */
export function runDone(lab: LabBackend, run: string): Promise<Extract<LabEvent, { type: 'done' }>> {
  return new Promise((resolve) => {
    const off = lab.subscribe((event) => {
      if (event.type === 'done' && event.run === run) {
        off();
        resolve(event);
      }
    });
  });
}

export function request(file: string, changes: FlatSettings = {}): TrainRequest {
  return trainRequest(file, { earlyStop: null, ...changes });
}

/** A two-class problem big enough that training takes a while: two noisy rings. */
export function writeRings(dir: string, rows: number): string {
  const rng = new Random(5);
  const lines = ['x,y,ring'];
  for (let i = 0; i < rows; i++) {
    const ring = i % 2;
    const angle = rng.uniform() * 2 * Math.PI;
    const radius = (ring ? 2 : 1) + 0.3 * rng.normal();
    lines.push(`${(radius * Math.cos(angle)).toFixed(4)},${(radius * Math.sin(angle)).toFixed(4)},${ring ? 'outer' : 'inner'}`);
  }
  const path = join(dir, `rings-${rows}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Resolves when the session has reported at least `epochs` finished epochs. */
export function epochsReached(session: TrainingSession, epochs: number): Promise<void> {
  return new Promise((resolve) => {
    if (session.epochs.length >= epochs) return resolve();
    const off = session.subscribe(() => {
      if (session.epochs.length >= epochs) {
        off();
        resolve();
      }
    });
  });
}

/** Where a fresh run stands when its worker reports it ready. */
export const READY_PROGRESS = {
  state: 'ready', epoch: 0, epochs: 3, step: 0, stepsPerEpoch: 3, samplesPerSecond: 0,
  batchSteps: new Float64Array(0), batchLosses: new Float64Array(0), loss: null, valLoss: null, learningRate: 0.01,
} as const;

/** What a stand-in worker can do in answer to a command: send the host a message, or end its process. */
export interface FakeWorkerSide {
  deliver(message: unknown): void;
  exit(code: number | null, signal: string | null): void;
}

/** A stand-in worker process: `answer` sees every command the host sends. */
export function fakeWorker(answer: (command: WorkerCommand, worker: FakeWorkerSide) => void): WorkerHandle {
  let deliver: (message: unknown) => void = () => {};
  let exit: (code: number | null, signal: string | null) => void = () => {};
  const side: FakeWorkerSide = { deliver: (message) => deliver(message), exit: (code, signal) => exit(code, signal) };
  return {
    pid: undefined,
    send: (command) => answer(command, side),
    onMessage: (handler) => { deliver = handler; },
    onExit: (handler) => { exit = handler; },
    kill: () => {},
  };
}

/** A lab on a lab folder of its own with real workers (counted in `workers`), shut down and removed after the file's tests. */
export function labInTempHome(): { lab: LabBackend; workers: WorkerHandle[]; home: ReturnType<typeof tempHome> } {
  const home = tempHome();
  const workers: WorkerHandle[] = [];
  const lab = new LabBackend(home.dir, () => {
    const worker = launcher();
    workers.push(worker);
    return worker;
  });
  afterAll(() => {
    lab.shutdown();
    for (const worker of workers) worker.kill();
    home.cleanup();
  });
  return { lab, workers, home };
}

/** Waits until the lab holds no training session. */
export async function labSettled(lab: LabBackend): Promise<void> {
  while ((await lab.sessions()).length > 0) await new Promise((resolve) => setTimeout(resolve, 20));
}
