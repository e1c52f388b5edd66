import { screen, type BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';
import { DEFAULT_SIZE, loadWindowState, MIN_SIZE, placeOnScreen, saveWindowState } from './window-state';

/** The size and place the window had when it was last closed, kept on a display there is now; the default size the first time. */
export async function restoredPlacement(userData: string): Promise<{ options: BrowserWindowConstructorOptions; maximized: boolean }> {
  const saved = await loadWindowState(userData);
  const limits = { minWidth: MIN_SIZE.width, minHeight: MIN_SIZE.height };
  if (!saved) return { options: { ...DEFAULT_SIZE, ...limits }, maximized: false };
  const bounds = placeOnScreen(saved.bounds, (rect) => screen.getDisplayMatching(rect).workArea);
  return { options: { ...bounds, ...limits }, maximized: saved.maximized };
}

/**
 * Remembers the window's size and place (its unmaximised bounds, and whether it is maximised) each time the
 * person moves, resizes, maximises or closes it: a write begun at close may not finish before the app quits,
 * and the one before it is then on disk.
 */
export function rememberPlacement(win: BrowserWindow, userData: string): void {
  const save = () => {
    void saveWindowState(userData, { bounds: win.getNormalBounds(), maximized: win.isMaximized() }).catch(() => undefined);
  };
  win.on('moved', save);
  win.on('resized', save);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', save);
}
