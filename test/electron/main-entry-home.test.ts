import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { LAB_CALL } from '../../common/ipc-channels';
import { FakeBrowserWindow, ipcEvent, ipcMain } from './electron-stand-in';
import { startMainEntry } from './main-entry-harness';
import { tempDir } from './helpers';

vi.mock('electron', async () => (await import('./electron-stand-in')).electron);

let home: { dir: string; remove: () => Promise<void> };
let entry: Awaited<ReturnType<typeof startMainEntry>>;
beforeAll(async () => {
  home = await tempDir('nnlab-home-');
  entry = await startMainEntry({ home: home.dir, packaged: false });
});
afterAll(async () => {
  await entry.stop();
  await home.remove();
});

it('unpackaged: loads the dev server, answers it, and keeps the lab in NNLAB_HOME', async () => {
  const win = FakeBrowserWindow.all[0]!;
  expect(win.webContents.loaded).toBe('http://localhost:5173/');
  win.webContents.mainFrame.url = 'http://localhost:5173/';
  await ipcMain.invoke(ipcEvent(win.webContents), LAB_CALL, 'uploadDataset', ['tiny.csv', new TextEncoder().encode('x,y\n1,2\n3,4\n')]);
  expect(readdirSync(join(home.dir, 'datasets'))).toHaveLength(1);
  expect(existsSync(join(entry.userData, 'datasets'))).toBe(false);
});
