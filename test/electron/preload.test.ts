import type { BrowserWindow } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LAB_CALL } from '../../common/ipc-channels';
import { MAX_IN_FLIGHT } from '../../main/electron/event-broker';
import { registerLabIpc, type LabIpc } from '../../main/electron/ipc';
import { labMethods, type LabEvent } from '../../common/lab-api';
import { LabBackend } from '../../main/lab/lab-backend';
import { nodeWorkerLauncher } from '../../main/lab/worker-launcher';
import type { DesktopLabApi } from '../../common/desktop-api';
import { ENGINE_VERSION } from '../../main/version';
import { closeAllPorts, dialog, droppedFiles, exposed, FakeBrowserWindow, FakeFrame, ipcRenderer } from './electron-stand-in';
import { builtWorker, copyDataset, emitFrom, progress, settle, tempDir, writeModelFile } from './helpers';

vi.mock('electron', async () => (await import('./electron-stand-in')).electron);

/**
 * The preload and main wired together through the stand-in's ipcRenderer → ipcMain: what the renderer
 * sees as window.lab, from the real preload module to the real LabBackend.
 */
let home: { dir: string; remove: () => Promise<void> };
let files: { dir: string; remove: () => Promise<void> };
let backend: LabBackend;
let ipc: LabIpc;
let win: FakeBrowserWindow;
let lab: DesktopLabApi;

beforeAll(async () => {
  home = await tempDir('nnlab-preload-home-');
  files = await tempDir('nnlab-preload-files-');
  backend = new LabBackend(home.dir, nodeWorkerLauncher(builtWorker));
  ipc = registerLabIpc(backend);
  win = new FakeBrowserWindow();
  ipc.trust(win as unknown as BrowserWindow);
  ipcRenderer.attach(win.webContents);
  await import('../../main/preload/index');
  lab = exposed.get('lab') as DesktopLabApi;
});

afterAll(async () => {
  ipc.dispose();
  backend.shutdown();
  closeAllPorts();
  await home.remove();
  await files.remove();
});

describe('window.lab (the preload)', () => {
  it('exposes exactly one object, "lab": every contract method plus subscribe, chooseCsvFile, chooseModelFile, pathForFile, onMenuCommand, setTheme', () => {
    expect([...exposed.keys()]).toEqual(['lab']);
    expect(Object.keys(lab).sort()).toEqual([...Object.keys(labMethods), 'subscribe', 'chooseCsvFile', 'chooseModelFile', 'pathForFile', 'onMenuCommand', 'setTheme'].sort());
    for (const method of ['openModelPath', 'uploadModel', 'openRunModel', 'predictWithModel']) expect(Object.keys(lab)).toContain(method);
    for (const value of Object.values(lab)) expect(typeof value).toBe('function');
  });

  it('carries calls to the backend and answers back', async () => {
    expect(await lab.version()).toBe(ENGINE_VERSION);
    expect((await lab.exampleDatasets()).map((d) => d.id)).toContain('iris');
  });

  it('sends each call as (method, argument list) on the lab:call channel', async () => {
    const invoke = vi.spyOn(ipcRenderer, 'invoke');
    await lab.listRuns();
    expect(invoke).toHaveBeenCalledWith(LAB_CALL, 'listRuns', []);
    invoke.mockRestore();
  });

  it('rejects with the plain message, without Electron\'s "Error invoking remote method" wrapping', async () => {
    await expect(lab.step('run', -3)).rejects.toThrow(/^Invalid arguments for step: 1: /);
    await expect(lab.openDatasetPath('/etc/passwd')).rejects.toThrow(/^nnlab opens only files chosen in its Open dialog/);
  });

  it('pathForFile: approves a file dropped from disk, which openDatasetPath then opens', async () => {
    const iris = await copyDataset('iris.csv', files.dir);
    const file = new File(['ignored'], 'iris.csv');
    droppedFiles.set(file, iris);
    const path = await lab.pathForFile(file);
    expect(path).toBe(iris);
    expect(await lab.openDatasetPath(path)).toMatchObject({ rows: 150 });
  });

  it('pathForFile: refuses a File the page made itself (it has no path on disk)', async () => {
    await expect(lab.pathForFile(new File(['a,b\n1,2\n'], 'made-up.csv'))).rejects.toThrow(/not on this computer/);
  });

  it('pathForFile: passes on main\'s refusal of a dropped file that is not a dataset', async () => {
    const file = new File([''], 'passwd');
    droppedFiles.set(file, '/etc/passwd');
    await expect(lab.pathForFile(file)).rejects.toThrow(/^Only \.csv, \.tsv, \.txt files can be opened as datasets, and \.json, \.onnx files as models\.$/);
  });

  it('pathForFile: approves a dropped model file, which openModelPath then opens (and openDatasetPath does not)', async () => {
    const model = await writeModelFile(files.dir, 'dropped.json');
    const file = new File(['ignored'], 'dropped.json');
    droppedFiles.set(file, model);
    const path = await lab.pathForFile(file);
    expect(await lab.openModelPath(path)).toMatchObject({ name: 'dropped.json', kind: 'json' });
    await expect(lab.openDatasetPath(path)).rejects.toThrow(/^nnlab opens only files chosen in its Open dialog/);
  });

  it('chooseModelFile: shows main\'s model dialog; the chosen model predicts an opened CSV file, a cancel gives null', async () => {
    const model = await writeModelFile(files.dir, 'chosen.json');
    dialog.next = { canceled: false, filePaths: [model] };
    const chosen = await lab.chooseModelFile();
    expect(chosen).toBe(model);
    const handle = await lab.openModelPath(chosen!);
    await expect(lab.openModelPath('/etc/passwd')).rejects.toThrow(/^nnlab opens only model files chosen in its Open model dialog/);
    const { writeFile } = await import('node:fs/promises');
    const rows = `${files.dir}/rows.csv`;
    await writeFile(rows, 'x1,x2,extra\n3,0,p\n0,3,q\n');
    dialog.next = { canceled: false, filePaths: [rows] };
    const data = await lab.openDatasetPath((await lab.chooseCsvFile())!);
    const result = await lab.predictWithModel(handle.id, data.id);
    expect(result.columns).toEqual(['x1', 'x2', 'extra', 'prediction', 'prob_a', 'prob_b']);
    expect(result.rows.map((r) => r[3])).toEqual(['b', 'a']);
    expect(result.unexpectedColumns).toEqual(['extra']);
    dialog.next = { canceled: true, filePaths: [] };
    expect(await lab.chooseModelFile()).toBeNull();
  });

  it('chooseCsvFile: shows main\'s dialog; the chosen path can be opened, a cancel gives null', async () => {
    const penguins = await copyDataset('penguins.csv', files.dir);
    dialog.next = { canceled: false, filePaths: [penguins] };
    const chosen = await lab.chooseCsvFile();
    expect(chosen).toBe(penguins);
    expect(await lab.openDatasetPath(chosen!)).toMatchObject({ name: 'penguins.csv' });
    dialog.next = { canceled: true, filePaths: [] };
    expect(await lab.chooseCsvFile()).toBeNull();
  });

  it('subscribe: asks for the port once, delivers every event, and acknowledges so main keeps sending', async () => {
    const seen: LabEvent[] = [];
    const also: LabEvent[] = [];
    const unsubscribe = lab.subscribe((event) => seen.push(event));
    const unsubscribeToo = lab.subscribe((event) => also.push(event));
    await settle();
    expect(win.webContents.posted).toHaveLength(1);
    // More separate batches than main sends unacknowledged: all arrive only because the preload acknowledges.
    const count = MAX_IN_FLIGHT * 3;
    for (let i = 0; i < count; i++) {
      emitFrom(backend, { type: 'progress', run: 'r', progress: progress(i) });
      await settle();
    }
    await settle();
    expect(seen.map((e) => (e as Extract<LabEvent, { type: 'progress' }>).progress.epoch)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect((seen[0] as Extract<LabEvent, { type: 'progress' }>).progress.batchLosses).toBeInstanceOf(Float64Array);
    expect(also).toHaveLength(count);
    unsubscribe();
    emitFrom(backend, { type: 'runs-changed' });
    await settle();
    expect(seen).toHaveLength(count);
    expect(also).toHaveLength(count + 1);
    unsubscribeToo();
  });

  it('subscribe: a listener that throws does not stop the others', async () => {
    const seen: LabEvent[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const a = lab.subscribe(() => { throw new Error('listener bug'); });
    const b = lab.subscribe((event) => seen.push(event));
    emitFrom(backend, { type: 'runs-changed' });
    await settle();
    expect(seen).toEqual([{ type: 'runs-changed' }]);
    expect(error).toHaveBeenCalled();
    a();
    b();
    error.mockRestore();
  });

  it('a subframe gets nothing even if it reaches ipcRenderer', async () => {
    ipcRenderer.attach(win.webContents, new FakeFrame('app://nnlab/index.html', win.webContents.mainFrame));
    try {
      await expect(lab.version()).rejects.toThrow(/^This page is not allowed to use the lab\.$/);
    } finally {
      ipcRenderer.attach(win.webContents);
    }
  });
});
