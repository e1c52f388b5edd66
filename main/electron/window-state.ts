import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file';

/** The window's size and place, as Electron's Rectangle, and whether it was maximised. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export const WINDOW_STATE_FILE_NAME = 'window-state.json';
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
/** Smaller than this, the views do not fit (1024×700 is the smallest they are laid out for). */
export const MIN_SIZE = { width: 640, height: 480 } as const;

const int = z.number().int().min(-100_000).max(100_000);
const windowStateSchema = z.object({
  bounds: z.object({ x: int, y: int, width: int.min(1), height: int.min(1) }),
  maximized: z.boolean(),
});

/** The saved state, or null when there is none worth using. */
export async function loadWindowState(userData: string): Promise<WindowState | null> {
  return readJsonFile<WindowState | null>(join(userData, WINDOW_STATE_FILE_NAME), windowStateSchema, null);
}

export async function saveWindowState(userData: string, state: WindowState): Promise<void> {
  await writeJsonFile(join(userData, WINDOW_STATE_FILE_NAME), state);
}

/**
 * Where a saved window goes on the displays there are now: `workAreaOf` is screen.getDisplayMatching's work
 * area for a rectangle (the display it overlaps most, or the nearest). The window keeps its size where it
 * fits and is moved, whole, onto that display, so a window saved on a monitor since unplugged, or at a
 * resolution since lowered, comes back where it can be seen and grabbed.
 */
export function placeOnScreen(saved: Bounds, workAreaOf: (rect: Bounds) => Bounds): Bounds {
  const area = workAreaOf(saved);
  const width = Math.max(Math.min(saved.width, area.width), Math.min(MIN_SIZE.width, area.width));
  const height = Math.max(Math.min(saved.height, area.height), Math.min(MIN_SIZE.height, area.height));
  const clamp = (value: number, start: number, room: number) => Math.min(Math.max(value, start), start + room);
  return {
    x: clamp(saved.x, area.x, area.width - width),
    y: clamp(saved.y, area.y, area.height - height),
    width,
    height,
  };
}
