import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DesktopLabApi } from '../../common/desktop-api';
import { LAB_SET_THEME } from '../../common/ipc-channels';
import type { MenuCommand } from '../../common/menu-commands';
import { loadRecentFiles, RECENT_FILE_NAME } from '../../main/electron/recent-files';
import { restoredPlacement } from '../../main/electron/window-placement';
import { WINDOW_STATE_FILE_NAME } from '../../main/electron/window-state';
import { app, dialog, exposed, FakeBrowserWindow, FakeDownloadItem, ipcRenderer, Menu, nativeTheme, screen, session } from './electron-stand-in';
import { copyDataset, tempDir, waitFor } from './helpers';
import { startMainEntry } from './main-entry-harness';

vi.mock('electron', async () => (await import('./electron-stand-in')).electron);

/**
 * The desktop shell as the app runs it: main/electron/index.ts started against the stand-in, the real
 * preload in its window, the application menu clicked as Electron would click it.
 */
let entry: Awaited<ReturnType<typeof startMainEntry>>;
let files: { dir: string; remove: () => Promise<void> };
let home: { dir: string; remove: () => Promise<void> };
let win: FakeBrowserWindow;
let lab: DesktopLabApi;
const received: MenuCommand[] = [];

beforeAll(async () => {
  files = await tempDir('nnlab-shell-files-');
  home = await tempDir('nnlab-shell-home-');
  entry = await startMainEntry({ home: home.dir, packaged: true });
  win = FakeBrowserWindow.all[0]!;
  ipcRenderer.attach(win.webContents);
  await import('../../main/preload/index');
  lab = exposed.get('lab') as DesktopLabApi;
  lab.onMenuCommand((command) => received.push(command));
});
afterAll(async () => {
  await entry.stop();
  await files.remove();
  await home.remove();
});

type Item = MenuItemConstructorOptions;
const menu = (): Item[] => Menu.application!.template as Item[];
const sub = (items: Item[], label: string): Item[] => items.find((item) => item.label === label)!.submenu as Item[];
const item = (path: string[]): Item => {
  let items = menu();
  for (const label of path.slice(0, -1)) items = sub(items, label);
  return items.find((i) => i.label === path.at(-1))!;
};
/** Clicks a menu item as Electron does: the focused window (`win` unless one is given, undefined for none) is the second argument. */
const click = (path: string[], ...focused: unknown[]) =>
  (item(path).click as unknown as (i: unknown, w: unknown, e: unknown) => void)({}, focused.length > 0 ? focused[0] : win, {});

async function openByDialog(name: string): Promise<string> {
  const path = await copyDataset('iris.csv', files.dir, name);
  dialog.next = { canceled: false, filePaths: [path] };
  const chosen = (await lab.chooseCsvFile())!;
  await lab.openDatasetPath(chosen);
  return chosen;
}

describe('the desktop shell', () => {
  it('sets the application menu: File, Run, View, Help', () => {
    expect(menu().map((i) => i.label)).toEqual(process.platform === 'darwin' ? ['nnlab', 'File', 'Run', 'View', 'Help'] : ['File', 'Run', 'View', 'Help']);
    expect(sub(sub(menu(), 'File'), 'Open recent')).toEqual([{ label: 'No recent files', enabled: false }]);
  });

  it('sends File and Run items to the focused window\'s page, as the commands of its buttons', async () => {
    received.length = 0;
    click(['File', 'Open CSV…']);
    click(['File', 'Export model…']);
    for (const label of ['Start', 'Pause', 'Step', 'Stop']) click(['Run', label]);
    expect(received).toEqual([{ command: 'open-csv' }, { command: 'export-model' }, { command: 'start' }, { command: 'pause' }, { command: 'step' }, { command: 'stop' }]);
  });

  it('with no window focused, sends to the one the system says is focused, or to none', () => {
    received.length = 0;
    FakeBrowserWindow.focused = null;
    click(['Run', 'Start'], undefined);
    expect(received).toEqual([]);
    FakeBrowserWindow.focused = win;
    click(['Run', 'Start'], undefined);
    expect(received).toEqual([{ command: 'start' }]);
    FakeBrowserWindow.focused = null;
  });

  it('sends nothing to a window that left the app\'s page', () => {
    received.length = 0;
    win.webContents.mainFrame.url = 'https://example.com/';
    click(['Run', 'Stop']);
    win.webContents.mainFrame.url = 'app://nnlab/index.html';
    expect(received).toEqual([]);
  });

  it('keeps the CSV files a window opened in Open recent, newest first, in userData', async () => {
    const first = await openByDialog('first.csv');
    const second = await openByDialog('second.csv');
    await waitFor(() => existsSync(join(entry.userData, RECENT_FILE_NAME)), 'the recent files');
    await waitFor(() => sub(sub(menu(), 'File'), 'Open recent').length === 4, 'the menu to list both');
    expect(sub(sub(menu(), 'File'), 'Open recent').map((i) => i.label ?? i.type)).toEqual([second, first, 'separator', 'Clear recent']);
    await waitFor(() => JSON.stringify(JSON.parse(readFileSyncSafe(join(entry.userData, RECENT_FILE_NAME)))) === JSON.stringify({ paths: [second, first] }), 'the file to hold both');
    expect(await loadRecentFiles(entry.userData)).toEqual([second, first]);
  });

  it('Open recent → a file: main approves it again, and the page is told to open it (and can)', async () => {
    received.length = 0;
    const [path] = await loadRecentFiles(entry.userData);
    click(['File', 'Open recent', path!]);
    await waitFor(() => received.length === 1, 'the open-path command');
    expect(received).toEqual([{ command: 'open-path', path }]);
    const handle = await lab.openDatasetPath(path!);
    expect(handle.summary.rows).toBe(150);
  });

  it('Open recent → a file since deleted: it leaves the list, with a message, and nothing is sent', async () => {
    received.length = 0;
    const [path] = await loadRecentFiles(entry.userData);
    await rm(path!);
    const shown = dialog.messages.length;
    click(['File', 'Open recent', path!]);
    await waitFor(() => dialog.messages.length > shown, 'the message');
    const [, options] = dialog.messages.at(-1) as [unknown, { message: string }];
    expect(options.message).toBe(`${path} does not exist. It was taken off Open recent.`);
    expect(received).toEqual([]);
    expect(sub(sub(menu(), 'File'), 'Open recent').map((i) => i.label)).not.toContain(path);
    await waitFor(() => !readFileSyncSafe(join(entry.userData, RECENT_FILE_NAME)).includes(path!), 'the file to drop it');
  });

  it('View → Theme: the window frames follow, every page is told, and the radio shows it; the page\'s choice shows in the menu', async () => {
    received.length = 0;
    click(['View', 'Theme', 'Dark']);
    expect(nativeTheme.themeSource).toBe('dark');
    expect(received).toEqual([{ command: 'theme', theme: 'dark' }]);
    expect(sub(sub(menu(), 'View'), 'Theme').map((i) => i.checked)).toEqual([false, false, true]);
    received.length = 0;
    lab.setTheme('light');
    expect(nativeTheme.themeSource).toBe('light');
    // Every window follows, the one that chose included (which already shows it).
    expect(received).toEqual([{ command: 'theme', theme: 'light' }]);
    expect(sub(sub(menu(), 'View'), 'Theme').map((i) => i.checked)).toEqual([false, true, false]);
    // Anything but a theme is ignored.
    ipcRenderer.send(LAB_SET_THEME, 'purple');
    expect(nativeTheme.themeSource).toBe('light');
  });

  it('Help → About nnlab shows the versions of nnlab, Electron, Chromium and Node', () => {
    const shown = dialog.messages.length;
    click(['Help', 'About nnlab']);
    const [options] = dialog.messages.at(-1)! as [{ title: string; detail: string }];
    expect(dialog.messages.length).toBe(shown + 1);
    expect(options.title).toBe('About nnlab');
    expect(options.detail).toBe(`nnlab 0.1.0\nElectron ${process.versions['electron'] ?? 'unknown'}\nChromium ${process.versions['chrome'] ?? 'unknown'}\nNode ${process.versions.node}`);
  });

  it('saves a download (an export) where the save dialog says, and cancels it when the dialog is cancelled', () => {
    app.paths.set('downloads', files.dir);
    const kept = new FakeDownloadItem('model.onnx');
    dialog.nextSave = join(files.dir, 'chosen.onnx');
    session.defaultSession.emit('will-download', {}, kept, win.webContents);
    expect(kept.savePath).toBe(join(files.dir, 'chosen.onnx'));
    expect(dialog.saveCalls.at(-1)).toEqual([win, { title: 'Save the exported model', defaultPath: join(files.dir, 'model.onnx') }]);
    const dropped = new FakeDownloadItem('model.onnx');
    dialog.nextSave = undefined;
    session.defaultSession.emit('will-download', {}, dropped, win.webContents);
    expect(dropped.cancelled).toBe(true);
    expect(dropped.savePath).toBeNull();
  });

  it('remembers the window\'s size and place when it closes, and the next window opens there', async () => {
    expect(win.options).toMatchObject({ width: 1280, height: 800 });
    const stateFile = join(entry.userData, WINDOW_STATE_FILE_NAME);
    win.bounds = { x: 150, y: 90, width: 1000, height: 700 };
    win.emit('moved');
    await waitFor(() => readFileSyncSafe(stateFile).includes('"x": 150'), 'the state after a move');
    win.bounds = { x: 200, y: 120, width: 1100, height: 720 };
    win.maximized = true;
    win.emit('close');
    await waitFor(() => readFileSyncSafe(stateFile).includes('"maximized": true'), 'the state at close');
    expect(JSON.parse(await readFile(join(entry.userData, WINDOW_STATE_FILE_NAME), 'utf8'))).toEqual({ bounds: { x: 200, y: 120, width: 1100, height: 720 }, maximized: true });
    const again = await restoredPlacement(entry.userData);
    expect(again).toEqual({ options: { x: 200, y: 120, width: 1100, height: 720, minWidth: 640, minHeight: 480 }, maximized: true });
  });

  it('brings a window saved on a display since gone back onto the one there is', async () => {
    const saved = screen.workAreas;
    screen.workAreas = [{ x: 0, y: 0, width: 1024, height: 700 }];
    try {
      const placed = await restoredPlacement(entry.userData);
      expect(placed.options).toMatchObject({ x: 0, y: 0, width: 1024, height: 700 });
      await writeFile(join(entry.userData, WINDOW_STATE_FILE_NAME), JSON.stringify({ bounds: { x: 2500, y: 40, width: 800, height: 600 }, maximized: false }));
      expect((await restoredPlacement(entry.userData)).options).toMatchObject({ x: 224, y: 40, width: 800, height: 600 });
    } finally {
      screen.workAreas = saved;
    }
  });

  it('reads a damaged or missing state file as none: the default size, and no recent files', async () => {
    await writeFile(join(entry.userData, WINDOW_STATE_FILE_NAME), '{"bounds": {"x": "left"');
    await writeFile(join(entry.userData, RECENT_FILE_NAME), '["not", "the", "shape"]');
    expect(await restoredPlacement(entry.userData)).toEqual({ options: { width: 1280, height: 800, minWidth: 640, minHeight: 480 }, maximized: false });
    expect(await loadRecentFiles(entry.userData)).toEqual([]);
    await rm(join(entry.userData, RECENT_FILE_NAME));
    expect(await loadRecentFiles(entry.userData)).toEqual([]);
  });
});

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
