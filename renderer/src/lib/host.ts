import type { LabClient } from '../../../common/lab-api';
import type { DesktopLabApi } from '../../../common/desktop-api';
import { connectLab, type ConnectionStatus } from './ws-client';

/** The lab and what the place the page runs in can do besides: the desktop app names local files, a browser uploads them. */
export interface Host {
  kind: 'desktop' | 'browser';
  lab: LabClient;
  /** Desktop only: the system's open dialog; a path openDatasetPath accepts, or null when cancelled. */
  chooseCsvFile?: () => Promise<string | null>;
  /** Desktop only: the open dialog for a model file; a path openModelPath accepts, or null when cancelled. */
  chooseModelFile?: () => Promise<string | null>;
  /** Desktop only: the checked path of a file dropped on the window. */
  pathForFile?: (file: File) => Promise<string>;
  /** Browser only: the state of the WebSocket to `nnlab serve`. */
  onConnection?: (listener: (status: ConnectionStatus) => void) => void;
}

function isDesktopLab(value: unknown): value is DesktopLabApi {
  const lab = value as Partial<DesktopLabApi> | undefined;
  return typeof lab?.subscribe === 'function' && typeof lab.listRuns === 'function';
}

/** `window.lab` when the Electron preload provides it, else the WebSocket client of `nnlab serve`. */
export function connectHost(): Host {
  const desktop = (window as { lab?: unknown }).lab;
  if (isDesktopLab(desktop)) {
    return {
      kind: 'desktop',
      lab: desktop,
      chooseCsvFile: () => desktop.chooseCsvFile(),
      chooseModelFile: () => desktop.chooseModelFile(),
      pathForFile: (file) => desktop.pathForFile(file),
    };
  }
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const lab = connectLab({ onStatus: (status) => statusListeners.forEach((listener) => listener(status)) });
  return {
    kind: 'browser',
    lab,
    onConnection: (listener) => {
      statusListeners.add(listener);
      listener(lab.status);
    },
  };
}
