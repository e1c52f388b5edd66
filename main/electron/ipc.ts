import { dialog, ipcMain, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents, type WebFrameMain } from 'electron';
import { LabCallError, parseLabCall, type LabCall, type LabEvent } from '../../common/lab-api';
import { LAB_CALL, LAB_CHANNELS, LAB_CHOOSE_CSV, LAB_CHOOSE_MODEL, LAB_EVENTS_PORT, LAB_MENU_COMMAND, LAB_PATH_FOR_FILE, LAB_SET_THEME } from '../../common/ipc-channels';
import { menuCommandSchema, themeSchema, type MenuCommand, type Theme } from '../../common/menu-commands';
import { ApprovedPaths, DATASET_EXTENSIONS, MODEL_EXTENSIONS, type LocalFileKind } from './dataset-paths';
import { EventBroker, MAX_PENDING_PROGRESS } from './event-broker';

/** The part of LabBackend the IPC layer uses. */
export interface LabCallTarget {
  call(method: string, args: unknown): Promise<unknown>;
  subscribe(listener: (event: LabEvent) => void): () => void;
}

export interface LabIpcOptions {
  /** `electron-vite dev`'s renderer URL; only ever set when the app is not packaged. */
  devServerUrl?: string | undefined;
  maxPendingProgress?: number;
  /** A window opened a dataset by its path (chosen, dropped or recent): the File menu's recent list keeps it. */
  onDatasetOpened?: (path: string) => void;
  /** A window chose a theme in the page. */
  onTheme?: (theme: Theme) => void;
}

/** The URL prefix of the packaged renderer (served by main's app:// protocol handler). */
const APP_ORIGIN = 'app://nnlab/';

export interface LabIpc {
  /** Lets this window's main frame use the lab (every other sender is refused). */
  trust(win: BrowserWindow): void;
  readonly approved: ApprovedPaths;
  readonly events: EventBroker;
  /**
   * Sends a menu command to a trusted window's page, if it shows our renderer; false when it is not one
   * (a menu clicked with no window of ours focused).
   */
  sendMenuCommand(win: BrowserWindow | null | undefined, command: MenuCommand): boolean;
  dispose(): void;
}

/** A message with no stack or cause, so nothing about main's internals crosses to the renderer. */
function plain(error: unknown): Error {
  return new Error(error instanceof Error && error.message ? error.message : 'The lab could not do that.');
}

/** Whether a frame URL belongs to our renderer: the app:// bundle, or (unpackaged only) the dev server. */
export function isAppUrl(url: string, devServerUrl?: string): boolean {
  if (url.startsWith(APP_ORIGIN)) return true;
  if (!devServerUrl) return false;
  try {
    const dev = new URL(devServerUrl);
    const page = new URL(url);
    return (dev.protocol === 'http:' || dev.protocol === 'https:') && page.origin === dev.origin;
  } catch {
    return false;
  }
}

/**
 * Registers the LabApi on ipcMain. Every handler first checks the sender: the message must come from the
 * main frame (not a subframe) of a window this module was told to trust, showing our own renderer.
 */
export function registerLabIpc(backend: LabCallTarget, options: LabIpcOptions = {}): LabIpc {
  const windows = new Map<number, BrowserWindow>();
  const approved = new ApprovedPaths();
  const events = new EventBroker(backend, options.maxPendingProgress ?? MAX_PENDING_PROGRESS);

  function senderWindow(event: IpcMainEvent | IpcMainInvokeEvent): BrowserWindow | null {
    const contents: WebContents | undefined = event.sender;
    const frame: WebFrameMain | null = event.senderFrame;
    if (!contents || !frame) return null;
    const win = windows.get(contents.id);
    if (!win || win.webContents !== contents || contents.isDestroyed()) return null;
    // The top frame of this window, and not a frame that has gone away meanwhile.
    if (frame.parent !== null || frame.detached || frame.frameTreeNodeId !== contents.mainFrame.frameTreeNodeId) return null;
    return isAppUrl(frame.url, options.devServerUrl) ? win : null;
  }

  function checked(event: IpcMainEvent | IpcMainInvokeEvent): BrowserWindow {
    const win = senderWindow(event);
    if (!win) throw new Error('This page is not allowed to use the lab.');
    return win;
  }

  ipcMain.handle(LAB_CALL, async (event, method: unknown, args: unknown) => {
    checked(event);
    // Checked here, where the message enters the main process (the backend does not check it again), so that
    // the approval of a path below reads checked arguments.
    let call: LabCall;
    try {
      call = parseLabCall(method, args);
    } catch (error) {
      // The desktop shell has always said which kind of method it does not know.
      if (error instanceof LabCallError && error.unknownMethod !== null) throw new Error(`Unknown lab method "${error.unknownMethod}".`);
      throw plain(error);
    }
    const path = call.args[0];
    if (call.method === 'openDatasetPath' && !approved.has(path as string, 'dataset')) {
      throw new Error('nnlab opens only files chosen in its Open dialog or dropped on its window; choose the file again.');
    }
    if (call.method === 'openModelPath' && !approved.has(path as string, 'model')) {
      throw new Error('nnlab opens only model files chosen in its Open model dialog or dropped on its window; choose the file again.');
    }
    let result: unknown;
    try {
      result = await backend.call(call.method, call.args);
    } catch (error) {
      throw plain(error);
    }
    if (call.method === 'openDatasetPath') options.onDatasetOpened?.(path as string);
    return result;
  });

  /** The system's open dialog for one kind of file; the chosen path is approved for that kind only. */
  async function choose(event: IpcMainInvokeEvent, kind: LocalFileKind): Promise<string | null> {
    const win = checked(event);
    const result = await dialog.showOpenDialog(win, kind === 'dataset'
      ? { title: 'Open a dataset', properties: ['openFile'], filters: [{ name: 'CSV data', extensions: [...DATASET_EXTENSIONS] }] }
      : { title: 'Open a model', properties: ['openFile'], filters: [{ name: 'nnlab model (JSON) or ONNX', extensions: [...MODEL_EXTENSIONS] }] });
    const chosen = result.filePaths[0];
    if (result.canceled || !chosen) return null;
    try {
      return await approved.approve(chosen, [kind]);
    } catch (error) {
      throw plain(error);
    }
  }

  ipcMain.handle(LAB_CHOOSE_CSV, (event) => choose(event, 'dataset'));
  ipcMain.handle(LAB_CHOOSE_MODEL, (event) => choose(event, 'model'));

  ipcMain.handle(LAB_PATH_FOR_FILE, async (event, path: unknown) => {
    checked(event);
    try {
      return await approved.approve(path);
    } catch (error) {
      throw plain(error);
    }
  });

  const onPortRequest = (event: IpcMainEvent): void => {
    const win = senderWindow(event);
    if (win) events.open(win.webContents);
  };
  ipcMain.on(LAB_EVENTS_PORT, onPortRequest);

  const onTheme = (event: IpcMainEvent, theme: unknown): void => {
    const parsed = themeSchema.safeParse(theme);
    if (senderWindow(event) && parsed.success) options.onTheme?.(parsed.data);
  };
  ipcMain.on(LAB_SET_THEME, onTheme);

  return {
    approved,
    events,
    trust(win) {
      const contents = win.webContents;
      const id = contents.id;
      windows.set(id, win);
      contents.once('destroyed', () => {
        events.closeFor(contents);
        windows.delete(id);
      });
    },
    sendMenuCommand(win, command) {
      const contents = win?.webContents;
      if (!contents || contents.isDestroyed() || windows.get(contents.id) !== win) return false;
      if (!isAppUrl(contents.mainFrame.url, options.devServerUrl)) return false;
      contents.send(LAB_MENU_COMMAND, menuCommandSchema.parse(command));
      return true;
    },
    dispose() {
      // Every channel, so that none added later stays behind (removing a handler that is not there does nothing).
      for (const channel of LAB_CHANNELS) ipcMain.removeHandler(channel);
      ipcMain.removeListener(LAB_EVENTS_PORT, onPortRequest);
      ipcMain.removeListener(LAB_SET_THEME, onTheme);
      events.dispose();
      windows.clear();
    },
  };
}
