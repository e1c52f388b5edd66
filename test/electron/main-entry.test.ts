import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LAB_CALL, LAB_CHANNELS } from '../../common/ipc-channels';
import { ENGINE_VERSION } from '../../main/version';
import { app, FakeBrowserWindow, ipcEvent, ipcMain, protocol, session } from './electron-stand-in';
import { startMainEntry } from './main-entry-harness';

vi.mock('electron', async () => (await import('./electron-stand-in')).electron);

/** main/electron/index.ts itself, started against the stand-in app, packaged and without NNLAB_HOME. */
let entry: Awaited<ReturnType<typeof startMainEntry>>;
beforeAll(async () => {
  entry = await startMainEntry({ packaged: true });
});
afterAll(() => entry.stop());

describe('the main process entry (main/electron/index.ts)', () => {
  it('registers app:// as a standard, secure scheme and serves it', () => {
    expect(protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect([...protocol.handlers.keys()]).toEqual(['app']);
  });

  it('opens one sandboxed, context-isolated window without Node, with the bundled preload, on app://nnlab/', () => {
    expect(FakeBrowserWindow.all).toHaveLength(1);
    const win = FakeBrowserWindow.all[0]!;
    const prefs = win.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webviewTag: false });
    expect(app.sandboxEnabled).toBe(true);
    expect(String(prefs['preload'])).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    // Packaged: the dev server variable is ignored.
    expect(win.webContents.loaded).toBe('app://nnlab/index.html');
  });

  it('denies every permission request and check', () => {
    const granted = vi.fn();
    session.defaultSession.permissionRequestHandler!({}, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(session.defaultSession.permissionCheckHandler!({}, 'clipboard-read')).toBe(false);
  });

  it('locks every new WebContents to its page: no navigation, no new windows, no webviews', () => {
    const contents = FakeBrowserWindow.all[0]!.webContents;
    app.emit('web-contents-created', {}, contents);
    for (const event of ['will-navigate', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      contents.emit(event, { preventDefault });
      expect(preventDefault, event).toHaveBeenCalled();
    }
    expect(contents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('wires the lab to its window: calls from its main frame are answered', async () => {
    const win = FakeBrowserWindow.all[0]!;
    expect(await ipcMain.invoke(ipcEvent(win.webContents), LAB_CALL, 'version', [])).toBe(ENGINE_VERSION);
  });

  it('ignores the dev server when packaged: a page from it is refused', async () => {
    const win = FakeBrowserWindow.all[0]!;
    win.webContents.mainFrame.url = 'http://localhost:5173/';
    await expect(ipcMain.invoke(ipcEvent(win.webContents), LAB_CALL, 'version', [])).rejects.toThrow(/not allowed/);
    win.webContents.mainFrame.url = 'app://nnlab/index.html';
  });

  it('keeps the lab in userData when NNLAB_HOME is not set', async () => {
    const win = FakeBrowserWindow.all[0]!;
    await ipcMain.invoke(ipcEvent(win.webContents), LAB_CALL, 'uploadDataset', ['tiny.csv', new TextEncoder().encode('x,y\n1,2\n3,4\n')]);
    const datasets = join(entry.userData, 'datasets');
    expect(existsSync(datasets)).toBe(true);
    expect(readdirSync(datasets)).toHaveLength(1);
  });

  it('opens no second window on activate while one is open; quits when all close (not on macOS)', () => {
    app.emit('activate');
    expect(FakeBrowserWindow.all).toHaveLength(1);
    const quits = app.quitCalls;
    app.emit('window-all-closed');
    expect(app.quitCalls).toBe(process.platform === 'darwin' ? quits : quits + 1);
  });

  it('on quit, takes the lab off every channel', () => {
    expect(ipcMain.handlers.size).toBeGreaterThan(0);
    app.emit('will-quit');
    for (const channel of LAB_CHANNELS) {
      expect(ipcMain.handlers.has(channel), channel).toBe(false);
      expect(ipcMain.listenerCount(channel), channel).toBe(0);
    }
  });
});
