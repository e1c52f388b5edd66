import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserWindow } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { LAB_CALL, LAB_CHOOSE_CSV, LAB_CHOOSE_MODEL, LAB_EVENTS_PORT, LAB_PATH_FOR_FILE, type EventBatch } from '../../common/ipc-channels';
import { MAX_DATASET_BYTES, MAX_MODEL_BYTES } from '../../main/electron/dataset-paths';
import { MAX_IN_FLIGHT, MAX_PENDING_PROGRESS } from '../../main/electron/event-broker';
import { isAppUrl, registerLabIpc, type LabIpc } from '../../main/electron/ipc';
import type { LabEvent } from '../../common/lab-api';
import { LabBackend } from '../../main/lab/lab-backend';
import { nodeWorkerLauncher } from '../../main/lab/worker-launcher';
import { ENGINE_VERSION } from '../../main/version';
import { closeAllPorts, dialog, FakeBrowserWindow, FakeFrame, ipcEvent, ipcMain, type FakeWebContents } from './electron-stand-in';
import { builtWorker, collect, copyDataset, emitFrom, progress, settle, tempDir, writeModelFile } from './helpers';

vi.mock('electron', async () => (await import('./electron-stand-in')).electron);

let home: { dir: string; remove: () => Promise<void> };
let files: { dir: string; remove: () => Promise<void> };
let backend: LabBackend;
let ipc: LabIpc;
let win: FakeBrowserWindow;
let call: MockInstance<LabBackend['call']>;

function trusted(url = 'app://nnlab/index.html'): FakeBrowserWindow {
  const w = new FakeBrowserWindow();
  w.webContents.mainFrame.url = url;
  ipc.trust(w as unknown as BrowserWindow);
  return w;
}

/** An invoke from a frame of a window, as Electron would deliver it; resolves to the result or the error's message. */
async function invoke(contents: FakeWebContents, channel: string, args: unknown[], frame: FakeFrame | null = contents.mainFrame) {
  try {
    return { ok: true as const, value: await ipcMain.invoke(ipcEvent(contents, frame), channel, ...args) };
  } catch (error) {
    return { ok: false as const, message: (error as Error).message };
  }
}

const labCall = (contents: FakeWebContents, method: unknown, args: unknown, frame?: FakeFrame | null) => invoke(contents, LAB_CALL, [method, args], frame);

beforeEach(async () => {
  home = await tempDir('nnlab-ipc-home-');
  files = await tempDir('nnlab-ipc-files-');
  backend = new LabBackend(home.dir, nodeWorkerLauncher(builtWorker));
  call = vi.spyOn(backend, 'call');
  ipc = registerLabIpc(backend);
  win = trusted();
});

afterEach(async () => {
  ipc.dispose();
  backend.shutdown();
  closeAllPorts();
  await home.remove();
  await files.remove();
});

describe('the sender check', () => {
  it('answers the main frame of a trusted window showing app://nnlab/', async () => {
    expect(await labCall(win.webContents, 'version', [])).toEqual({ ok: true, value: ENGINE_VERSION });
    expect(call).toHaveBeenCalledWith('version', []);
  });

  it('refuses a window it was not told to trust, even one showing our page', async () => {
    const stranger = new FakeBrowserWindow();
    const result = await labCall(stranger.webContents, 'version', []);
    expect(result).toEqual({ ok: false, message: "Error invoking remote method 'lab:call': Error: This page is not allowed to use the lab." });
    expect(call).not.toHaveBeenCalled();
  });

  it.each([
    'https://evil.example/index.html',
    'app://nnlab.evil/index.html',
    'app://other/index.html',
    'file:///opt/nnlab/out/renderer/index.html',
    'http://localhost:5173/',
    'about:blank',
    '',
  ])('refuses a trusted window whose page is %j', async (url) => {
    win.webContents.mainFrame.url = url;
    const result = await labCall(win.webContents, 'version', []);
    expect(result.ok).toBe(false);
    expect(call).not.toHaveBeenCalled();
  });

  it('refuses a subframe, even one showing our own page', async () => {
    const sub = new FakeFrame('app://nnlab/index.html', win.webContents.mainFrame);
    expect((await labCall(win.webContents, 'version', [], sub)).ok).toBe(false);
    expect(call).not.toHaveBeenCalled();
  });

  it('refuses a message whose frame is gone (null) or detached', async () => {
    expect((await labCall(win.webContents, 'version', [], null)).ok).toBe(false);
    win.webContents.mainFrame.detached = true;
    expect((await labCall(win.webContents, 'version', [])).ok).toBe(false);
    expect(call).not.toHaveBeenCalled();
  });

  it('refuses a top-level frame that is not the window\'s main frame', async () => {
    const other = new FakeFrame('app://nnlab/index.html');
    expect((await labCall(win.webContents, 'version', [], other)).ok).toBe(false);
  });

  it('forgets a window once its contents are destroyed', async () => {
    win.webContents.destroy();
    win.webContents.destroyed = false; // a stale event arriving afterwards
    expect((await labCall(win.webContents, 'version', [])).ok).toBe(false);
  });

  it('checks every channel, not only lab calls', async () => {
    const stranger = new FakeBrowserWindow();
    dialog.next = { canceled: false, filePaths: [await copyDataset('iris.csv', files.dir)] };
    expect((await invoke(stranger.webContents, LAB_CHOOSE_CSV, [])).ok).toBe(false);
    expect((await invoke(stranger.webContents, LAB_CHOOSE_MODEL, [])).ok).toBe(false);
    expect((await invoke(stranger.webContents, LAB_PATH_FOR_FILE, [join(files.dir, 'iris.csv')])).ok).toBe(false);
    ipcMain.emit(LAB_EVENTS_PORT, ipcEvent(stranger.webContents));
    const sub = new FakeFrame('app://nnlab/index.html', win.webContents.mainFrame);
    ipcMain.emit(LAB_EVENTS_PORT, ipcEvent(win.webContents, sub));
    expect(stranger.webContents.posted).toEqual([]);
    expect(win.webContents.posted).toEqual([]);
    expect(dialog.calls).toEqual([]);
  });

  it('accepts the dev server only when one is given (never when packaged), by exact origin', async () => {
    expect(isAppUrl('http://localhost:5173/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/index.html', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', 'http://localhost:5173')).toBe(false);
    expect(isAppUrl('javascript:alert(1)', 'javascript:alert(1)')).toBe(false);
    ipc.dispose();
    ipc = registerLabIpc(backend, { devServerUrl: 'http://localhost:5173/' });
    const dev = trusted('http://localhost:5173/');
    expect((await labCall(dev.webContents, 'version', [])).ok).toBe(true);
  });
});

describe('payload validation', () => {
  it.each([
    [42, []],
    [null, []],
    ['shutdown', []],
    ['constructor', []],
    ['__proto__', []],
    ['toString', []],
    ['call', ['version', []]],
  ])('refuses the method %j without reaching the backend', async (method, args) => {
    const result = await labCall(win.webContents, method, args);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(/Unknown lab method/);
    expect(call).not.toHaveBeenCalled();
  });

  it.each([
    ['an object with its own toString', { toString: 1 }, /, not an object\./],
    ['an object whose toString is a name', { toString: 'version', valueOf: 'version' }, /, not an object\./],
    ['an empty object', {}, /, not an object\./],
    ['a list of a name', ['version'], /, not a list\./],
    ['nothing', undefined, /the call names none/],
    ['a bigint', 7n, /, not a number\./],
  ])('refuses a method that is not a name (%s), saying so in words', async (_what, method, says) => {
    const result = await labCall(win.webContents, method, []);
    const message = result.ok ? '' : result.message;
    expect(message).toMatch(/^Error invoking remote method 'lab:call': Error: Unknown lab method: /);
    expect(message).toMatch(says);
    // Not the object as text, nor the error turning it into text raised.
    expect(message).not.toMatch(/\[object|Cannot convert|undefined/);
    expect(call).not.toHaveBeenCalled();
  });

  it.each([
    ['getRun', 'not-a-list'],
    ['getRun', {}],
    ['getRun', []],
    ['getRun', ['']],
    ['renameRun', ['run', 123]],
    ['step', ['run', -1]],
    ['step', ['run', 1.5]],
    ['setLearningRate', ['run', Number.POSITIVE_INFINITY]],
    ['createSession', ['dataset', {}, { bogus: true }]],
    ['openDatasetPath', [17]],
    ['uploadDataset', ['a.csv', 'not bytes']],
    ['version', ['extra']],
  ])('refuses %s with arguments %j, with a plain message', async (method, args) => {
    const result = await labCall(win.webContents, method, args);
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toMatch(new RegExp(`^Error invoking remote method 'lab:call': Error: Invalid arguments for ${method}: `));
    expect(message).not.toMatch(/\n\s+at /);
    expect(call).not.toHaveBeenCalled();
  });

  it('says an argument that is not there is missing, rather than "received undefined"', async () => {
    const prefix = "Error invoking remote method 'lab:call': Error: ";
    expect(await labCall(win.webContents, 'renameRun', ['run', undefined])).toEqual({ ok: false, message: `${prefix}Invalid arguments for renameRun: 1: missing (expected string).` });
    expect(await labCall(win.webContents, 'getRun', undefined)).toEqual({ ok: false, message: `${prefix}Invalid arguments for getRun: arguments: missing (expected tuple).` });
    expect(await labCall(win.webContents, 'createSession', ['d', {}, {}])).toEqual({ ok: false, message: expect.stringMatching(/: 2\.\w+: (missing \(expected \w+\)|Invalid option: expected one of .*)\.$/) });
    expect(call).not.toHaveBeenCalled();
  });

  it('passes a backend failure on as its message only: no stack, no error code, no cause', async () => {
    let thrown: unknown;
    try {
      await ipcMain.handlers.get(LAB_CALL)!(ipcEvent(win.webContents), 'getRun', ['no-such-run']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    const error = thrown as Error & { code?: unknown; cause?: unknown };
    expect(error.message.length).toBeGreaterThan(0);
    expect(Object.keys(error)).toEqual([]);
    expect(error.cause).toBeUndefined();
    expect(error.code).toBeUndefined();
    expect(call).toHaveBeenCalledWith('getRun', ['no-such-run']);
  });

  it('calls the backend with the validated arguments', async () => {
    const result = await labCall(win.webContents, 'exampleDatasets', []);
    expect(result.ok).toBe(true);
    expect(call).toHaveBeenCalledWith('exampleDatasets', []);
  });
});

describe('openDatasetPath: only paths main approved', () => {
  it('refuses a path nobody approved, even an existing CSV file', async () => {
    const iris = await copyDataset('iris.csv', files.dir);
    const result = await labCall(win.webContents, 'openDatasetPath', [iris]);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/opens only files chosen in its Open dialog or dropped on its window/) });
    expect(call).not.toHaveBeenCalled();
  });

  it('opens a dropped file once main has checked and approved its path', async () => {
    const iris = await copyDataset('iris.csv', files.dir);
    const approved = await invoke(win.webContents, LAB_PATH_FOR_FILE, [iris]);
    expect(approved).toEqual({ ok: true, value: iris });
    const opened = await labCall(win.webContents, 'openDatasetPath', [iris]);
    expect(opened.ok).toBe(true);
    expect((opened.ok ? opened.value : null) as { rows: number; name: string }).toMatchObject({ rows: 150, name: 'iris.csv' });
    // Approving one file approves nothing else in its folder.
    const penguins = await copyDataset('penguins.csv', files.dir);
    expect((await labCall(win.webContents, 'openDatasetPath', [penguins])).ok).toBe(false);
  });

  it('opens a file chosen in the open dialog, shown for the asking window with CSV filters', async () => {
    const iris = await copyDataset('iris.csv', files.dir, 'flowers.tsv');
    dialog.calls.length = 0;
    dialog.next = { canceled: false, filePaths: [iris] };
    expect(await invoke(win.webContents, LAB_CHOOSE_CSV, [])).toEqual({ ok: true, value: iris });
    expect(dialog.calls).toHaveLength(1);
    expect(dialog.calls[0]!.window).toBe(win);
    expect(dialog.calls[0]!.options).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['csv', 'tsv', 'txt'] }] });
    expect((await labCall(win.webContents, 'openDatasetPath', [iris])).ok).toBe(true);
  });

  it('answers null when the dialog is cancelled, approving nothing', async () => {
    const iris = await copyDataset('iris.csv', files.dir);
    dialog.next = { canceled: true, filePaths: [iris] };
    expect(await invoke(win.webContents, LAB_CHOOSE_CSV, [])).toEqual({ ok: true, value: null });
    expect((await labCall(win.webContents, 'openDatasetPath', [iris])).ok).toBe(false);
  });

  it('refuses to approve what is not a small regular CSV-like file on disk', async () => {
    await mkdir(join(files.dir, 'folder.csv'));
    await writeFile(join(files.dir, 'secret.key'), 'x');
    const huge = join(files.dir, 'huge.csv');
    await writeFile(huge, '');
    await truncate(huge, MAX_DATASET_BYTES + 1); // sparse: no real disk use
    const cases: [unknown, RegExp][] = [
      ['relative/iris.csv', /must be absolute/],
      [join(files.dir, 'missing.csv'), /does not exist/],
      [join(files.dir, 'folder.csv'), /not a regular file/],
      [join(files.dir, 'secret.key'), /Only \.csv, \.tsv, \.txt files/],
      ['/etc/passwd', /Only \.csv, \.tsv, \.txt files/],
      [huge, /larger than 1 GiB/],
      [42, /not a file/],
      ['', /not a file/],
      [`${files.dir}/a\0.csv`, /not a file/],
    ];
    for (const [path, message] of cases) {
      const result = await invoke(win.webContents, LAB_PATH_FOR_FILE, [path]);
      expect(result.ok, String(path)).toBe(false);
      expect(result.ok ? '' : result.message).toMatch(message);
      if (typeof path === 'string' && path) expect((await labCall(win.webContents, 'openDatasetPath', [path])).ok).toBe(false);
    }
    expect(call).not.toHaveBeenCalled();
  });
});

describe('openModelPath: only model files main approved, as models', () => {
  it('refuses a model file nobody approved', async () => {
    const model = await writeModelFile(files.dir);
    const result = await labCall(win.webContents, 'openModelPath', [model]);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/opens only model files chosen in its Open model dialog or dropped on its window/) });
    expect(call).not.toHaveBeenCalled();
  });

  it('opens a model chosen in the model dialog, shown for the asking window with .json and .onnx filters', async () => {
    const model = await writeModelFile(files.dir, 'flowers.nnlab.json');
    dialog.calls.length = 0;
    dialog.next = { canceled: false, filePaths: [model] };
    expect(await invoke(win.webContents, LAB_CHOOSE_MODEL, [])).toEqual({ ok: true, value: model });
    expect(dialog.calls).toHaveLength(1);
    expect(dialog.calls[0]!.window).toBe(win);
    expect(dialog.calls[0]!.options).toMatchObject({ title: 'Open a model', properties: ['openFile'], filters: [{ extensions: ['json', 'onnx'] }] });
    const opened = await labCall(win.webContents, 'openModelPath', [model]);
    expect(opened.ok).toBe(true);
    expect((opened.ok ? opened.value : null) as { name: string; inputs: string[] }).toMatchObject({ name: 'flowers.nnlab.json', kind: 'json', inputs: ['x1', 'x2'], target: 'y' });
    // Approved as a model, it is not a dataset.
    expect((await labCall(win.webContents, 'openDatasetPath', [model])).ok).toBe(false);
  });

  it('answers null when the model dialog is cancelled, approving nothing', async () => {
    const model = await writeModelFile(files.dir);
    dialog.next = { canceled: true, filePaths: [model] };
    expect(await invoke(win.webContents, LAB_CHOOSE_MODEL, [])).toEqual({ ok: true, value: null });
    expect((await labCall(win.webContents, 'openModelPath', [model])).ok).toBe(false);
  });

  it('each dialog approves its own kind only: no CSV from the model dialog, no model from the CSV dialog', async () => {
    const iris = await copyDataset('iris.csv', files.dir);
    const model = await writeModelFile(files.dir);
    dialog.next = { canceled: false, filePaths: [iris] };
    const csvAsModel = await invoke(win.webContents, LAB_CHOOSE_MODEL, []);
    expect(csvAsModel).toEqual({ ok: false, message: expect.stringMatching(/Only \.json, \.onnx files can be opened as models\./) });
    dialog.next = { canceled: false, filePaths: [model] };
    const modelAsCsv = await invoke(win.webContents, LAB_CHOOSE_CSV, []);
    expect(modelAsCsv).toEqual({ ok: false, message: expect.stringMatching(/Only \.csv, \.tsv, \.txt files can be opened as datasets\./) });
    expect((await labCall(win.webContents, 'openModelPath', [model])).ok).toBe(false);
    expect((await labCall(win.webContents, 'openModelPath', [iris])).ok).toBe(false);
    expect((await labCall(win.webContents, 'openDatasetPath', [iris])).ok).toBe(false);
    expect(call).not.toHaveBeenCalled();
  });

  it('approves a dropped model file for openModelPath only, and a dropped CSV file for openDatasetPath only', async () => {
    const model = await writeModelFile(files.dir, 'dropped.json');
    const iris = await copyDataset('iris.csv', files.dir);
    expect(await invoke(win.webContents, LAB_PATH_FOR_FILE, [model])).toEqual({ ok: true, value: model });
    expect(await invoke(win.webContents, LAB_PATH_FOR_FILE, [iris])).toEqual({ ok: true, value: iris });
    expect((await labCall(win.webContents, 'openDatasetPath', [model])).ok).toBe(false);
    expect((await labCall(win.webContents, 'openModelPath', [iris])).ok).toBe(false);
    const handle = await labCall(win.webContents, 'openModelPath', [model]);
    const data = await labCall(win.webContents, 'openDatasetPath', [iris]);
    expect(handle.ok && data.ok).toBe(true);
    // Predicting needs no path: the model and the rows are open by their handles.
    const predicted = await labCall(win.webContents, 'predictWithModel', [(handle as { value: { id: string } }).value.id, (data as { value: { id: string } }).value.id]);
    expect(predicted).toEqual({ ok: false, message: expect.stringMatching(/iris\.csv lacks columns the model needs: "x1", "x2"\./) });
  });

  it('refuses to approve a model file that is not a regular .json or .onnx file, or too large', async () => {
    await mkdir(join(files.dir, 'folder.onnx'));
    const huge = join(files.dir, 'huge.onnx');
    await writeFile(huge, '');
    await truncate(huge, MAX_MODEL_BYTES + 1);
    const cases: [unknown, RegExp][] = [
      ['relative/model.json', /must be absolute/],
      [join(files.dir, 'missing.onnx'), /does not exist/],
      [join(files.dir, 'folder.onnx'), /not a regular file/],
      [huge, /larger than 256 MiB/],
    ];
    for (const [path, message] of cases) {
      dialog.next = { canceled: false, filePaths: [path as string] };
      const chosen = await invoke(win.webContents, LAB_CHOOSE_MODEL, []);
      expect(chosen.ok, String(path)).toBe(false);
      expect(chosen.ok ? '' : chosen.message).toMatch(message);
      const dropped = await invoke(win.webContents, LAB_PATH_FOR_FILE, [path]);
      expect(dropped.ok ? '' : dropped.message).toMatch(message);
      expect((await labCall(win.webContents, 'openModelPath', [path])).ok).toBe(false);
    }
    expect(call).not.toHaveBeenCalled();
  });
});

describe('live events over a MessagePort', () => {
  function openPort(contents: FakeWebContents) {
    ipcMain.emit(LAB_EVENTS_PORT, ipcEvent(contents));
    const posted = contents.posted.at(-1)!;
    expect(posted.channel).toBe(LAB_EVENTS_PORT);
    expect(posted.message).toBeNull();
    expect(posted.ports).toHaveLength(1);
    return posted.ports[0]!;
  }

  it('forwards backend events to the window, typed arrays intact', async () => {
    const port = openPort(win.webContents);
    const received = collect(port) as EventBatch[];
    emitFrom(backend, { type: 'progress', run: 'r1', progress: progress(3) });
    emitFrom(backend, { type: 'runs-changed' });
    await settle();
    expect(received).toHaveLength(1);
    expect(received[0]!.seq).toBe(1);
    expect(received[0]!.events.map((e) => e.type)).toEqual(['progress', 'runs-changed']);
    const first = received[0]!.events[0] as Extract<LabEvent, { type: 'progress' }>;
    expect(first.progress.batchLosses).toBeInstanceOf(Float64Array);
    expect([...first.progress.batchSteps]).toEqual([3]);
  });

  it('forwards real backend events (a rename says the runs changed)', async () => {
    const port = openPort(win.webContents);
    const received = collect(port) as EventBatch[];
    await labCall(win.webContents, 'renameRun', ['no-such-run', 'x']); // fails: no event
    emitFrom(backend, { type: 'warning', run: 'r', message: 'careful' });
    await settle();
    expect(received.flatMap((b) => b.events)).toEqual([{ type: 'warning', run: 'r', message: 'careful' }]);
  });

  it('bounds what a window that does not keep up queues: older progress is dropped, nothing else', async () => {
    const port = openPort(win.webContents);
    const received = collect(port) as EventBatch[];
    // Fill the window's allowance of unacknowledged batches.
    for (let i = 0; i < MAX_IN_FLIGHT; i++) {
      emitFrom(backend, { type: 'progress', run: 'r', progress: progress(-1 - i) });
      await settle();
    }
    expect(received).toHaveLength(MAX_IN_FLIGHT);
    // Now everything waits in main.
    const extra = 100;
    for (let i = 0; i < MAX_PENDING_PROGRESS + extra; i++) {
      emitFrom(backend, { type: 'progress', run: 'r', progress: progress(i) });
      if (i === 10) emitFrom(backend, { type: 'epochs', run: 'r', metrics: [] });
      if (i === 20) emitFrom(backend, { type: 'done', run: 'r', status: 'finished', message: 'ok' });
      if (i === 30) emitFrom(backend, { type: 'ended', run: 'q', message: 'gone' });
      if (i === 40) emitFrom(backend, { type: 'warning', run: 'r', message: 'w' });
    }
    await settle();
    expect(received).toHaveLength(MAX_IN_FLIGHT);
    const outlet = ipc.events.outlet(win.webContents as never)!;
    expect(outlet.dropped).toBe(extra);
    expect(outlet.pending).toBe(MAX_PENDING_PROGRESS + 4);
    // An acknowledgement releases the queue as one batch: the newest progress, every other event, in order.
    port.postMessage({ ack: 1 });
    await settle();
    expect(received).toHaveLength(MAX_IN_FLIGHT + 1);
    const batch = received.at(-1)!;
    expect(batch.seq).toBe(MAX_IN_FLIGHT + 1);
    const epochs = batch.events.filter((e) => e.type === 'progress').map((e) => (e as Extract<LabEvent, { type: 'progress' }>).progress.epoch);
    expect(epochs).toEqual(Array.from({ length: MAX_PENDING_PROGRESS }, (_, k) => k + extra));
    expect(batch.events.filter((e) => e.type !== 'progress').map((e) => e.type)).toEqual(['epochs', 'done', 'ended', 'warning']);
  });

  it('ignores acknowledgements that are not plausible (the renderer is untrusted)', async () => {
    const port = openPort(win.webContents);
    const received = collect(port) as EventBatch[];
    for (let i = 0; i < MAX_IN_FLIGHT + 1; i++) {
      emitFrom(backend, { type: 'runs-changed' });
      await settle();
    }
    expect(received).toHaveLength(MAX_IN_FLIGHT);
    for (const bogus of [{ ack: 99 }, { ack: 0 }, { ack: '1' }, { ack: 1.5 }, 'ack', null]) port.postMessage(bogus);
    await settle();
    expect(received).toHaveLength(MAX_IN_FLIGHT);
    port.postMessage({ ack: MAX_IN_FLIGHT });
    await settle();
    expect(received).toHaveLength(MAX_IN_FLIGHT + 1);
  });

  it('gives a reloaded page a fresh port and closes the old one', async () => {
    const first = openPort(win.webContents);
    const closed = new Promise<void>((resolve) => first.once('close', () => resolve()));
    const second = openPort(win.webContents);
    await closed;
    const received = collect(second) as EventBatch[];
    emitFrom(backend, { type: 'runs-changed' });
    await settle();
    expect(received).toHaveLength(1);
  });

  it('stops forwarding to a window that is gone, and keeps serving the others', async () => {
    const other = trusted();
    openPort(win.webContents);
    const otherPort = openPort(other.webContents);
    const received = collect(otherPort) as EventBatch[];
    win.webContents.destroy();
    expect(ipc.events.outlet(win.webContents as never)).toBeUndefined();
    emitFrom(backend, { type: 'runs-changed' });
    await settle();
    expect(received).toHaveLength(1);
  });

  it('stops forwarding when the page closes its end', async () => {
    const port = openPort(win.webContents);
    port.close();
    await settle();
    expect(ipc.events.outlet(win.webContents as never)).toBeUndefined();
  });
});
