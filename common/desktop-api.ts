// The contract between preload and renderer. Type-only imports: the renderer's type check includes this
// file without pulling in Electron, Node or zod code.
import type { LabClient } from './lab-api';
import type { MenuCommand, Theme } from './menu-commands';

/** `window.lab` in the desktop app: the LabApi over IPC, live events, and the ways to name a local file. */
export interface DesktopLabApi extends LabClient {
  /** Shows the open dialog; resolves to a path openDatasetPath accepts, or null when cancelled. */
  chooseCsvFile(): Promise<string | null>;
  /** Shows the open dialog for a model file (.json or .onnx); resolves to a path openModelPath accepts, or null when cancelled. */
  chooseModelFile(): Promise<string | null>;
  /**
   * The path of a file dropped on the window, checked by the main process (an existing .csv, .tsv or .txt
   * file, or a .json or .onnx model file, not too large); the result is a path openDatasetPath accepts, or
   * for a model file, one openModelPath accepts.
   */
  pathForFile(file: File): Promise<string>;
  /** Calls back with each command of the app's menus meant for this window (checked before it arrives); returns the unsubscribe. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** Tells the main process the theme this window shows, so the View menu's choice agrees with it. */
  setTheme(theme: Theme): void;
}

/** The name renderer/src/vite-env.d.ts imports for `window.lab`. */
export type LabApi = DesktopLabApi;
