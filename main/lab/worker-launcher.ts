import { fork } from 'node:child_process';
import { appPath } from '../app-paths';
import { trainingNodeFlags } from '../node-runtime';
import type { WorkerCommand } from '../../common/worker-protocol';

/** A running worker process as its host sees it, whatever started it (Node's fork or Electron's utilityProcess). */
export interface WorkerHandle {
  readonly pid: number | undefined;
  send(command: WorkerCommand): void;
  onMessage(handler: (message: unknown) => void): void;
  onExit(handler: (code: number | null, signal: string | null) => void): void;
  kill(): void;
}

export type WorkerLauncher = () => WorkerHandle;

/** The built worker script: next to the built command line, or in out/main when running from source. */
function defaultWorkerScript(): string {
  return appPath('out/main/worker.js');
}

/** Starts workers with Node's child_process.fork, for the command line, the browser host and tests. */
export function nodeWorkerLauncher(script = defaultWorkerScript()): WorkerLauncher {
  return () => {
    // 'advanced' serialisation carries typed arrays as they are, as Electron's utility process does.
    const child = fork(script, [], { execArgv: [...process.execArgv, ...trainingNodeFlags().filter((flag) => !process.execArgv.includes(flag))], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // A worker that dies as a command is written to it fails the write (EPIPE). Its exit says what happened to the
    // run; the failed write is nothing more, and must not take the host (and every window) down with it.
    child.on('error', () => {});
    // The exit is told once the channel has delivered every message the worker sent before it, so a worker that
    // said its run was done and then exited is never taken for one that died.
    const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
    const drained = new Promise<void>((resolve) => (child.connected ? child.once('disconnect', () => resolve()) : resolve()));
    return {
      pid: child.pid,
      send: (command) => { if (child.connected) child.send(command, () => {}); },
      onMessage: (handler) => { child.on('message', handler); },
      onExit: (handler) => { void Promise.all([exited, drained]).then(([[code, signal]]) => handler(code, signal)); },
      kill: () => { child.kill('SIGKILL'); },
    };
  };
}
