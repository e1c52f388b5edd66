import { fork } from 'node:child_process';
import { appPath } from '../app-paths';
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
    const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return {
      pid: child.pid,
      send: (command) => { if (child.connected) child.send(command); },
      onMessage: (handler) => { child.on('message', handler); },
      onExit: (handler) => { child.on('exit', handler); },
      kill: () => { child.kill('SIGKILL'); },
    };
  };
}
