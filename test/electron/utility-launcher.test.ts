import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow } from 'electron';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerLabIpc, type LabIpc } from '../../main/electron/ipc';
import { utilityWorkerLauncher } from '../../main/electron/utility-launcher';
import type { LabEvent } from '../../common/lab-api';
import { LabBackend } from '../../main/lab/lab-backend';
import type { DesktopLabApi } from '../../common/desktop-api';
import { RunStore } from '../../main/store/run-store';
import { sessionArgs } from '../support/settings';
import { closeAllPorts, droppedFiles, exposed, FakeBrowserWindow, ipcRenderer, utilityProcess, type UtilityProcessLike } from './electron-stand-in';
import { builtWorker, copyDataset, tempDir, waitFor } from './helpers';

vi.mock('electron', async () => (await import('./electron-stand-in')).electron);

const shim = fileURLToPath(new URL('./fixtures/parent-port-shim.mjs', import.meta.url));

/**
 * utilityProcess.fork, played by a real Node child process running the real built worker. The child gets
 * Electron's process.parentPort (from the shim); the parent side has UtilityProcess's surface: postMessage,
 * 'message', 'exit' with a code only, kill(), pid. Messages use structured clone ('advanced'), as Electron's do.
 */
function forkAsUtilityProcess(modulePath: string, args: string[]): UtilityProcessLike {
  const child = fork(modulePath, args, { serialization: 'advanced', execArgv: ['--import', shim], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const proc = new EventEmitter() as UtilityProcessLike;
  proc.pid = undefined;
  child.once('spawn', () => {
    proc.pid = child.pid;
    proc.emit('spawn');
  });
  child.on('message', (message) => proc.emit('message', message));
  child.on('exit', (code, signal) => proc.emit('exit', code ?? 128 + (signal ? constants.signals[signal] : 0)));
  proc.postMessage = (message) => { child.send(message as object); };
  proc.kill = () => child.kill();
  return proc;
}

let home: { dir: string; remove: () => Promise<void> };
let files: { dir: string; remove: () => Promise<void> };
let backend: LabBackend;
let ipc: LabIpc;
let lab: DesktopLabApi;
const events: LabEvent[] = [];

beforeAll(async () => {
  if (!existsSync(builtWorker)) throw new Error('out/main/worker.js is missing: run `npm run build` first.');
  utilityProcess.implementation = forkAsUtilityProcess;
  home = await tempDir('nnlab-utility-home-');
  files = await tempDir('nnlab-utility-files-');
  backend = new LabBackend(home.dir, utilityWorkerLauncher(builtWorker));
  ipc = registerLabIpc(backend);
  const win = new FakeBrowserWindow();
  ipc.trust(win as unknown as BrowserWindow);
  ipcRenderer.attach(win.webContents);
  await import('../../main/preload/index');
  lab = exposed.get('lab') as DesktopLabApi;
  lab.subscribe((event) => events.push(event));
});

afterEach(() => {
  events.length = 0;
});

afterAll(async () => {
  ipc.dispose();
  backend.shutdown();
  closeAllPorts();
  await home.remove();
  await files.remove();
});

const settings = { name: 'iris in a utility process', target: 'species', layers: [8], epochs: 40, earlyStop: null };

describe('training in an Electron utility process', () => {
  it('forks the worker script with the service name, inherited output and no arguments', async () => {
    const launch = utilityWorkerLauncher(builtWorker);
    const handle = launch();
    expect(utilityProcess.forks.at(-1)).toEqual({ modulePath: builtWorker, args: [], options: { serviceName: 'nnlab training', stdio: 'inherit' } });
    const exited = new Promise<[number | null, string | null]>((resolve) => handle.onExit((code, signal) => resolve([code, signal])));
    await waitFor(() => handle.pid !== undefined, 'the pid');
    expect(handle.pid).toBeGreaterThan(0);
    handle.kill();
    const [code, signal] = await exited;
    // A utility process reports an exit code only.
    expect(typeof code).toBe('number');
    expect(signal).toBeNull();
    // Sending to or killing an ended process is harmless.
    expect(() => handle.send({ type: 'start', seq: 1 })).not.toThrow();
    expect(() => handle.kill()).not.toThrow();
  });

  it('trains a run end to end: approved drop → openDatasetPath → createSession → start → done, events through the port', async () => {
    const iris = await copyDataset('iris.csv', files.dir);
    const file = new File([''], 'iris.csv');
    droppedFiles.set(file, iris);
    const dataset = await lab.openDatasetPath(await lab.pathForFile(file));
    expect(dataset.rows).toBe(150);

    const session = await lab.createSession(dataset.id, ...sessionArgs(settings));
    expect(session.state).toBe('ready');
    expect(utilityProcess.forks.at(-1)!.options).toEqual({ serviceName: 'nnlab training', stdio: 'inherit' });

    await lab.start(session.run);
    await waitFor(() => events.some((e) => e.type === 'done' && e.run === session.run), 'the run to finish');

    const done = events.find((e) => e.type === 'done') as Extract<LabEvent, { type: 'done' }>;
    expect(done.status).toBe('finished');
    const progress = events.filter((e): e is Extract<LabEvent, { type: 'progress' }> => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    // Typed arrays made it worker → main → window as typed arrays.
    expect(progress[0]!.progress.batchLosses).toBeInstanceOf(Float64Array);
    const epochs = events.filter((e): e is Extract<LabEvent, { type: 'epochs' }> => e.type === 'epochs').flatMap((e) => e.metrics);
    expect(epochs).toHaveLength(40);
    expect(events.some((e) => e.type === 'ended')).toBe(false);

    // runs-changed: when the session began, when the run finished, when its worker exited.
    await waitFor(() => events.filter((e) => e.type === 'runs-changed').length >= 3, 'the worker to exit');
    const record = await new RunStore(home.dir).get(session.run);
    expect(record.status).toBe('finished');
    const { runs } = await lab.listRuns();
    expect(runs.find((r) => r.id === session.run)).toMatchObject({ name: 'iris in a utility process', status: 'finished' });
    expect(await lab.sessions()).toEqual([]);
  });

  it('reports a worker that dies mid-run by its exit code, and leaves the run resumable', async () => {
    const iris = await copyDataset('iris.csv', files.dir, 'iris-long.csv');
    const file = new File([''], 'iris-long.csv');
    droppedFiles.set(file, iris);
    const dataset = await lab.openDatasetPath(await lab.pathForFile(file));
    const session = await lab.createSession(dataset.id, ...sessionArgs({ ...settings, name: 'killed', epochs: 1_000_000 }));
    await lab.start(session.run);
    await waitFor(() => events.some((e) => e.type === 'progress' && e.run === session.run), 'training to begin');

    backend.shutdown();
    await waitFor(() => events.some((e) => e.type === 'ended' && e.run === session.run), 'the end to be reported');
    const ended = events.find((e) => e.type === 'ended') as Extract<LabEvent, { type: 'ended' }>;
    expect(ended.message).toMatch(/stopped unexpectedly \(exit code \d+\)/);
    expect(ended.message).not.toMatch(/killed \(/);
    await waitFor(() => events.filter((e) => e.type === 'runs-changed').length >= 2, 'the run list to change');
    expect((await new RunStore(home.dir).get(session.run)).status).toBe('interrupted');
  });
});
