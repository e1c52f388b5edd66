import type { WorkerEvent } from '../../common/worker-protocol';

/**
 * The worker's side of the channel to its host. Electron's utility process offers `process.parentPort`;
 * Node's child_process.fork offers `process.send`. The worker uses only this, so one file runs under both.
 */
export interface ParentChannel {
  send(event: WorkerEvent): void;
  onMessage(handler: (message: unknown) => void): void;
}

/** Electron's ParentPort, described by shape so that plain Node can load this file. */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

export function connectParent(): ParentChannel {
  const electronPort = (process as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (event) => electronPort.postMessage(event),
      onMessage: (handler) => electronPort.on('message', (e) => handler(e.data)),
    };
  }
  if (process.send) {
    const send = process.send.bind(process);
    return {
      // Once the host is gone there is no one to tell; sending would raise an uncaught 'error' event.
      send: (event) => { if (process.connected) send(event); },
      onMessage: (handler) => { process.on('message', handler); },
    };
  }
  throw new Error('The training worker runs only as a child of nnlab (it has no parent channel).');
}
