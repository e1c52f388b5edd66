import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { aboutText, menuTemplate, type MenuActions, type MenuState } from '../../main/electron/menu-template';
import { placeOnScreen } from '../../main/electron/window-state';

/** The pure parts of the desktop shell, without Electron: the menu template and where a saved window goes. */
function actions() {
  return {
    command: vi.fn<MenuActions['command']>(),
    openRecent: vi.fn<MenuActions['openRecent']>(),
    clearRecent: vi.fn<MenuActions['clearRecent']>(),
    setTheme: vi.fn<MenuActions['setTheme']>(),
    about: vi.fn<MenuActions['about']>(),
  } satisfies MenuActions;
}

const state = (over: Partial<MenuState> = {}): MenuState => ({ recent: [], theme: 'system', platform: 'linux', ...over });

const submenu = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] => item?.submenu as MenuItemConstructorOptions[];
const named = (items: MenuItemConstructorOptions[], label: string) => items.find((item) => item.label === label);
const labels = (items: MenuItemConstructorOptions[]) => items.filter((item) => item.type !== 'separator').map((item) => item.label ?? item.role);
const click = (item: MenuItemConstructorOptions | undefined, focused?: unknown) =>
  (item!.click as unknown as (menuItem: unknown, window: unknown, event: unknown) => void)({}, focused, {});

describe('the application menu template', () => {
  it('has File, Run, View and Help with the items the page has buttons for', () => {
    const menu = menuTemplate(state(), actions());
    expect(menu.map((item) => item.label)).toEqual(['File', 'Run', 'View', 'Help']);
    expect(labels(submenu(named(menu, 'File')))).toEqual(['Open CSV…', 'Open recent', 'Export model…', 'Quit']);
    expect(named(submenu(named(menu, 'File')), 'Quit')!.role).toBe('quit');
    expect(labels(submenu(named(menu, 'Run')))).toEqual(['Start', 'Pause', 'Step', 'Stop']);
    expect(labels(submenu(named(menu, 'View')))).toEqual(['Theme', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']);
    expect(labels(submenu(named(menu, 'Help')))).toEqual(['About nnlab']);
  });

  it('sends each File and Run item as its command, for the window the click was in', () => {
    const acts = actions();
    const menu = menuTemplate(state(), acts);
    const focused = { id: 7 };
    const file = submenu(named(menu, 'File'));
    click(named(file, 'Open CSV…'), focused);
    click(named(file, 'Export model…'), focused);
    for (const label of ['Start', 'Pause', 'Step', 'Stop']) click(named(submenu(named(menu, 'Run')), label), focused);
    expect(acts.command.mock.calls).toEqual([
      [{ command: 'open-csv' }, focused], [{ command: 'export-model' }, focused],
      [{ command: 'start' }, focused], [{ command: 'pause' }, focused], [{ command: 'step' }, focused], [{ command: 'stop' }, focused],
    ]);
  });

  it('lists the recent files newest first, each opening its path, and can clear them; none is a disabled line', () => {
    const acts = actions();
    const recent = submenu(named(submenu(named(menuTemplate(state({ recent: ['/data/b.csv', '/data/a.csv'] }), acts), 'File')), 'Open recent'));
    expect(labels(recent)).toEqual(['/data/b.csv', '/data/a.csv', 'Clear recent']);
    click(recent[1], undefined);
    expect(acts.openRecent).toHaveBeenCalledWith('/data/a.csv', undefined);
    click(named(recent, 'Clear recent'));
    expect(acts.clearRecent).toHaveBeenCalledOnce();
    const none = submenu(named(submenu(named(menuTemplate(state(), acts), 'File')), 'Open recent'));
    expect(none).toEqual([{ label: 'No recent files', enabled: false }]);
  });

  it('shows the theme as three radio items, the chosen one checked, each choosing its theme', () => {
    const acts = actions();
    const theme = submenu(named(submenu(named(menuTemplate(state({ theme: 'dark' }), acts), 'View')), 'Theme'));
    expect(theme.map(({ label, type, checked }) => ({ label, type, checked }))).toEqual([
      { label: 'System', type: 'radio', checked: false },
      { label: 'Light', type: 'radio', checked: false },
      { label: 'Dark', type: 'radio', checked: true },
    ]);
    click(theme[1]);
    expect(acts.setTheme).toHaveBeenCalledWith('light');
  });

  it('on macOS puts Quit in the app menu, not in File', () => {
    const menu = menuTemplate(state({ platform: 'darwin' }), actions());
    expect(menu.map((item) => item.label)).toEqual(['nnlab', 'File', 'Run', 'View', 'Help']);
    expect(submenu(menu[0]).some((item) => item.role === 'quit')).toBe(true);
    expect(labels(submenu(named(menu, 'File')))).toEqual(['Open CSV…', 'Open recent', 'Export model…']);
  });

  it('About names the versions of nnlab, Electron, Chromium and Node', () => {
    expect(aboutText('0.1.0', { electron: '45.5.0', chrome: '140.0.7339.41', node: '22.19.0' }))
      .toBe('nnlab 0.1.0\nElectron 45.5.0\nChromium 140.0.7339.41\nNode 22.19.0');
  });
});

describe('placeOnScreen (a saved window on the displays there are now)', () => {
  const laptop = { x: 0, y: 0, width: 1440, height: 870 };
  const nearest = () => laptop;

  it('keeps a window that fits where it was', () => {
    expect(placeOnScreen({ x: 100, y: 50, width: 1200, height: 760 }, nearest)).toEqual({ x: 100, y: 50, width: 1200, height: 760 });
  });

  it('moves a window left on an unplugged monitor onto the display, whole', () => {
    expect(placeOnScreen({ x: 2400, y: 300, width: 1200, height: 760 }, nearest)).toEqual({ x: 240, y: 110, width: 1200, height: 760 });
  });

  it('shrinks a window larger than the display to fit it', () => {
    expect(placeOnScreen({ x: -50, y: -20, width: 2560, height: 1400 }, nearest)).toEqual({ x: 0, y: 0, width: 1440, height: 870 });
  });

  it('works on a display that does not start at 0,0 (a second monitor left of the first)', () => {
    const left = { x: -1920, y: 0, width: 1920, height: 1050 };
    expect(placeOnScreen({ x: -3000, y: 900, width: 1000, height: 700 }, () => left)).toEqual({ x: -1920, y: 350, width: 1000, height: 700 });
  });
});
