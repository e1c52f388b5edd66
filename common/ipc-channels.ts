import type { LabEvent } from './lab-api';

/**
 * The IPC channel names, shared by the main process and the preload (which bundles this file into its
 * CommonJS output). Kept free of imports other than types so the sandboxed preload stays self-contained.
 */

/** invoke(method, args): one LabApi call, validated by the backend. */
export const LAB_CALL = 'lab:call';
/** send() from the preload asks for a live-event port; main answers on the same channel with postMessage. */
export const LAB_EVENTS_PORT = 'lab:events-port';
/** invoke(): the open dialog, shown by main; resolves to an approved path or null. */
export const LAB_CHOOSE_CSV = 'lab:choose-csv';
/** invoke(): the open dialog for a model file (.json, .onnx), shown by main; resolves to an approved path or null. */
export const LAB_CHOOSE_MODEL = 'lab:choose-model';
/** invoke(path): a dropped file's path (from webUtils.getPathForFile), checked and approved by main. */
export const LAB_PATH_FOR_FILE = 'lab:path-for-file';

/** main → renderer (webContents.send): a menu item's command (common/menu-commands.ts), for the window's focused page. */
export const LAB_MENU_COMMAND = 'lab:menu-command';
/** send(theme) from the preload: the page's theme choice, which the View menu then shows (and the window's frame follows). */
export const LAB_SET_THEME = 'lab:set-theme';

/** Every channel above that main listens on, which main takes the lab off when it quits. */
export const LAB_CHANNELS = [LAB_CALL, LAB_EVENTS_PORT, LAB_CHOOSE_CSV, LAB_CHOOSE_MODEL, LAB_PATH_FOR_FILE, LAB_SET_THEME] as const;

/** One batch of live events, main → preload, over the window's MessagePort. */
export interface EventBatch {
  seq: number;
  events: LabEvent[];
}

/** The preload's acknowledgement of a batch, preload → main; main sends ahead at most a few unacknowledged batches. */
export interface EventAck {
  ack: number;
}
