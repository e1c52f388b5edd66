import type { BaseWindow, MenuItemConstructorOptions } from 'electron';
import { THEMES, type MenuCommand, type RunCommand, type Theme } from '../../common/menu-commands';

/** What the menus show: the recent CSV paths, newest first, and the theme chosen. */
export interface MenuState {
  recent: readonly string[];
  theme: Theme;
  platform: NodeJS.Platform;
}

/** What the menus do; `focused` is the window Electron says the click was for (none when no window is focused). */
export interface MenuActions {
  /** A command for the focused window's page: the same action as the page's own button. */
  command(command: MenuCommand, focused: BaseWindow | undefined): void;
  /** Open recent → a path: main checks the file still exists before a page is asked to open it. */
  openRecent(path: string, focused: BaseWindow | undefined): void;
  clearRecent(): void;
  setTheme(theme: Theme): void;
  about(): void;
}

const RUN_LABELS: Record<RunCommand, string> = { start: 'Start', pause: 'Pause', step: 'Step', stop: 'Stop' };
const THEME_LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

function recentMenu(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  if (state.recent.length === 0) return [{ label: 'No recent files', enabled: false }];
  return [
    ...state.recent.map((path): MenuItemConstructorOptions => ({ label: path, click: (_item, focused) => actions.openRecent(path, focused) })),
    { type: 'separator' },
    { label: 'Clear recent', click: () => actions.clearRecent() },
  ];
}

/**
 * The application menu as Electron's template: File, Run, View and Help (and on macOS the app's own menu
 * first, where Quit lives there). Pure, so it is tested without Electron.
 */
export function menuTemplate(state: MenuState, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: 'About nnlab', click: () => actions.about() };
  const send = (command: MenuCommand): MenuItemConstructorOptions['click'] => (_item, focused) => actions.command(command, focused);
  return [
    ...(mac ? [{ label: 'nnlab', submenu: [{ role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit', label: 'Quit' }] } satisfies MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open CSV…', accelerator: 'CmdOrCtrl+O', click: send({ command: 'open-csv' }) },
        { label: 'Open recent', submenu: recentMenu(state, actions) },
        { type: 'separator' },
        { label: 'Export model…', accelerator: 'CmdOrCtrl+E', click: send({ command: 'export-model' }) },
        ...(mac ? [] : [{ type: 'separator' }, { role: 'quit', label: 'Quit' }] satisfies MenuItemConstructorOptions[]),
      ],
    },
    {
      label: 'Run',
      // No accelerators: the page's own single-key shortcuts (S, P, N, X) already act, and a menu
      // accelerator on the same key would act twice.
      submenu: Object.entries(RUN_LABELS).map(([command, label]): MenuItemConstructorOptions => ({
        label,
        click: send({ command: command as RunCommand }),
      })),
    },
    {
      label: 'View',
      submenu: [
        {
          label: 'Theme',
          submenu: THEMES.map((theme): MenuItemConstructorOptions => ({
            label: THEME_LABELS[theme],
            type: 'radio',
            checked: state.theme === theme,
            click: () => actions.setTheme(theme),
          })),
        },
        { type: 'separator' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Help', role: 'help', submenu: [about] },
  ];
}

/** The About box's text: the versions of nnlab, Electron, Chromium and Node (process.versions). */
export function aboutText(nnlab: string, versions: Partial<Record<'electron' | 'chrome' | 'node', string>>): string {
  return [
    `nnlab ${nnlab}`,
    `Electron ${versions.electron ?? 'unknown'}`,
    `Chromium ${versions.chrome ?? 'unknown'}`,
    `Node ${versions.node ?? 'unknown'}`,
  ].join('\n');
}
