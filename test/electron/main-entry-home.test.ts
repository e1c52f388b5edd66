import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { LAB_CALL } from '../../main/electron/channels';
import { app, closeAllPorts, FakeBrowserWindow, ipcEvent, ipcMain } from './electron-stand-in';
import { settle, tempDir } from './helpers';

vi.mock('electron', async () => (await import('./electron-stand-in')).electron);

let userData: { dir: string; remove: () => Promise<void> };
let home: { dir: string; remove: () => Promise<void> };
const savedHome = process.env['NNLAB_HOME'];
const savedDev = process.env['ELECTRON_RENDERER_URL'];

beforeAll(async () => {
  userData = await tempDir('nnlab-userdata-');
  home = await tempDir('nnlab-home-');
  process.env['NNLAB_HOME'] = home.dir;
  process.env['ELECTRON_RENDERER_URL'] = 'http://localhost:5173/';
  app.paths.set('userData', userData.dir);
  app.isPackaged = false;
  await import('../../main/electron/index');
  app.becomeReady();
  await settle();
});

afterAll(async () => {
  app.emit('will-quit');
  closeAllPorts();
  if (savedHome === undefined) delete process.env['NNLAB_HOME']; else process.env['NNLAB_HOME'] = savedHome;
  if (savedDev === undefined) delete process.env['ELECTRON_RENDERER_URL']; else process.env['ELECTRON_RENDERER_URL'] = savedDev;
  await userData.remove();
  await home.remove();
});

it('unpackaged: loads the dev server, answers it, and keeps the lab in NNLAB_HOME', async () => {
  const win = FakeBrowserWindow.all[0]!;
  expect(win.webContents.loaded).toBe('http://localhost:5173/');
  win.webContents.mainFrame.url = 'http://localhost:5173/';
  await ipcMain.invoke(ipcEvent(win.webContents), LAB_CALL, 'uploadDataset', ['tiny.csv', new TextEncoder().encode('x,y\n1,2\n3,4\n')]);
  expect(readdirSync(join(home.dir, 'datasets'))).toHaveLength(1);
  expect(existsSync(join(userData.dir, 'datasets'))).toBe(false);
});
