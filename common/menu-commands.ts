import { z } from 'zod';

/**
 * What the desktop app's menus ask a window to do (main → renderer), and the theme a window reports back
 * (renderer → main). Each is checked where it arrives: the preload checks commands, main checks themes.
 */

export const THEMES = ['system', 'light', 'dark'] as const;
export const themeSchema = z.enum(THEMES);
export type Theme = z.infer<typeof themeSchema>;

/** The Run menu's items, each the Train view's button of the same name. */
export const RUN_COMMANDS = ['start', 'pause', 'step', 'stop'] as const;
export type RunCommand = (typeof RUN_COMMANDS)[number];

export const menuCommandSchema = z.discriminatedUnion('command', [
  /** File → Open CSV…: the Open CSV… button's dialog. */
  z.object({ command: z.literal('open-csv') }),
  /** File → Open recent → a path: main has already approved it for openDatasetPath. */
  z.object({ command: z.literal('open-path'), path: z.string().min(1).max(4096) }),
  /** File → Export model…: the Export model… button's list of formats. */
  z.object({ command: z.literal('export-model') }),
  z.object({ command: z.enum(RUN_COMMANDS) }),
  /** View → Theme: the window follows the menu's choice. */
  z.object({ command: z.literal('theme'), theme: themeSchema }),
]);
export type MenuCommand = z.infer<typeof menuCommandSchema>;
