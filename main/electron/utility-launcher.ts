import { utilityProcess } from 'electron';
import type { WorkerLauncher } from '../lab/worker-launcher';

/**
 * Starts training workers as Electron utility processes (the same worker script the command line forks;
 * main/worker/parent-port.ts finds process.parentPort there). Messages use structured clone, so typed
 * arrays arrive as they are. A utility process reports only an exit code, never a signal.
 */
export function utilityWorkerLauncher(script: string): WorkerLauncher {
  return () => {
    const child = utilityProcess.fork(script, [], { serviceName: 'nnlab training', stdio: 'inherit' });
    let exited = false;
    child.once('exit', () => { exited = true; });
    return {
      // Known only once the process has spawned.
      get pid() { return child.pid; },
      send: (command) => { if (!exited) child.postMessage(command); },
      onMessage: (handler) => { child.on('message', handler); },
      onExit: (handler) => { child.on('exit', (code) => handler(code, null)); },
      kill: () => { if (!exited) child.kill(); },
    };
  };
}
