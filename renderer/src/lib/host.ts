import type { DatasetHandle, LabClient, ModelHandle } from '../../../common/lab-api';
import type { DesktopLabApi } from '../../../common/desktop-api';
import { inAppLanguage } from './app-words';
import type { MenuCommand, Theme } from '../../../common/menu-commands';
import { connectLab, type ConnectionStatus } from './ws-client';
import { saveBytes } from './save-file';

export type FileKind = 'dataset' | 'model';

/** A file the person chose or dropped, ready for the lab to read (by its checked path on the desktop, by its bytes in a browser). */
export interface PickedFile {
  name: string;
  /** Where the desktop app finds the file again (Recent files); null in a browser, which cannot reopen it. */
  path: string | null;
  openDataset(): Promise<DatasetHandle>;
  openModel(): Promise<ModelHandle>;
}

/**
 * The lab and what the place the page runs in does for it. Both hosts, the desktop app and a browser, implement
 * all of it, so the views make one call whichever they run in.
 */
export interface Host {
  kind: 'desktop' | 'browser';
  lab: LabClient;
  /** The system's open dialog (desktop) or the browser's file picker; null when the person cancels. */
  chooseFile(kind: FileKind): Promise<PickedFile | null>;
  /** A file dropped on the window or handed over by a file input. */
  pickedFile(file: File): Promise<PickedFile>;
  /** Hands bytes to the person as a file to keep. */
  saveFile(name: string, bytes: Uint8Array, mime: string): Promise<void>;
  /** Browser only: the state of the WebSocket to `nnlab serve`. */
  onConnection?: (listener: (status: ConnectionStatus) => void) => void;
  /** Desktop only: the app menus' commands for this window; returns the unsubscribe. */
  onMenuCommand?: (listener: (command: MenuCommand) => void) => () => void;
  /** Desktop only: tells the app the theme shown, for its View menu. */
  setTheme?: (theme: Theme) => void;
}

const ACCEPT: Record<FileKind, string> = {
  dataset: '.csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain',
  model: '.json,.onnx,application/json',
};

function isDesktopLab(value: unknown): value is DesktopLabApi {
  const lab = value as Partial<DesktopLabApi> | undefined;
  return typeof lab?.subscribe === 'function' && typeof lab.listRuns === 'function' && typeof lab.onMenuCommand === 'function';
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

function desktopHost(desktop: DesktopLabApi): Host {
  const lab = inAppLanguage(desktop);
  const atPath = (path: string): PickedFile => ({
    name: baseName(path),
    path,
    openDataset: () => lab.openDatasetPath(path),
    openModel: () => lab.openModelPath(path),
  });
  return {
    kind: 'desktop',
    lab,
    async chooseFile(kind) {
      const path = await (kind === 'dataset' ? lab.chooseCsvFile() : lab.chooseModelFile());
      return path === null ? null : atPath(path);
    },
    pickedFile: async (file) => atPath(await lab.pathForFile(file)),
    // Main shows the system's Save dialog for a download (main/electron/downloads.ts).
    saveFile: async (name, bytes, mime) => saveBytes(name, bytes, mime),
    onMenuCommand: (listener) => lab.onMenuCommand(listener),
    setTheme: (theme) => lab.setTheme(theme),
  };
}

function browserHost(): Host {
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const lab = inAppLanguage(connectLab({ onStatus: (status) => statusListeners.forEach((listener) => listener(status)) }));
  const uploaded = (file: File): PickedFile => ({
    name: file.name,
    path: null,
    openDataset: async () => lab.uploadDataset(file.name, new Uint8Array(await file.arrayBuffer())),
    openModel: async () => lab.uploadModel(file.name, new Uint8Array(await file.arrayBuffer())),
  });
  return {
    kind: 'browser',
    lab,
    async chooseFile(kind) {
      const file = await pickWithInput(ACCEPT[kind]);
      return file ? uploaded(file) : null;
    },
    pickedFile: async (file) => uploaded(file),
    saveFile: async (name, bytes, mime) => saveBytes(name, bytes, mime),
    onConnection: (listener) => {
      statusListeners.add(listener);
      listener(lab.status);
    },
  };
}

/** The browser's file picker, through a file input of its own; null when the person cancels. */
function pickWithInput(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.hidden = true;
    const done = (file: File | null) => {
      input.remove();
      resolve(file);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => done(null), { once: true });
    document.body.append(input);
    input.click();
  });
}

/** `window.lab` when the Electron preload provides it, else the WebSocket client of `nnlab serve`. */
export function connectHost(): Host {
  const desktop = (window as { lab?: unknown }).lab;
  return isDesktopLab(desktop) ? desktopHost(desktop) : browserHost();
}
