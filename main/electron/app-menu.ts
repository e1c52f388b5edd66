import { BrowserWindow, dialog, Menu, nativeTheme, type BaseWindow } from 'electron';
import type { MenuCommand, Theme } from '../../common/menu-commands';
import { ENGINE_VERSION } from '../version';
import type { LabIpc } from './ipc';
import { aboutText, menuTemplate, type MenuActions } from './menu-template';
import { loadRecentFiles, saveRecentFiles, withRecent } from './recent-files';

/**
 * The application menu, kept up to date: rebuilt when the recent files or the theme change. Commands go to
 * the focused window's page through the lab's IPC, which sends only to windows it trusts.
 */
export class AppMenu {
  private recent: string[] = [];
  private theme: Theme = 'system';

  private constructor(private readonly userData: string, private readonly ipc: LabIpc) {}

  static async install(userData: string, ipc: LabIpc): Promise<AppMenu> {
    const menu = new AppMenu(userData, ipc);
    menu.recent = await loadRecentFiles(userData);
    menu.render();
    return menu;
  }

  get recentFiles(): readonly string[] {
    return this.recent;
  }

  get currentTheme(): Theme {
    return this.theme;
  }

  /** A dataset a window opened by its path goes first in Open recent. */
  async addRecent(path: string): Promise<void> {
    await this.setRecent(withRecent(this.recent, path));
  }

  /** The theme a page chose (its select) or the View menu chose: every window's page and frame follow it, and the menu shows it. */
  chooseTheme(theme: Theme): void {
    this.theme = theme;
    nativeTheme.themeSource = theme;
    this.render();
    for (const win of BrowserWindow.getAllWindows()) this.ipc.sendMenuCommand(win, { command: 'theme', theme });
  }

  private async setRecent(paths: string[]): Promise<void> {
    this.recent = paths;
    this.render();
    // The list is a convenience: a disk that refuses the write costs the next launch its list, nothing more.
    await saveRecentFiles(this.userData, paths).catch(() => undefined);
  }

  private target(focused: BaseWindow | undefined): BrowserWindow | null {
    return focused instanceof BrowserWindow ? focused : BrowserWindow.getFocusedWindow();
  }

  private readonly actions: MenuActions = {
    command: (command: MenuCommand, focused) => {
      this.ipc.sendMenuCommand(this.target(focused), command);
    },
    openRecent: (path, focused) => void this.openRecent(path, this.target(focused)),
    clearRecent: () => void this.setRecent([]),
    setTheme: (theme) => this.chooseTheme(theme),
    about: () => {
      void dialog.showMessageBox({ type: 'info', title: 'About nnlab', message: 'nnlab', detail: aboutText(ENGINE_VERSION, process.versions), buttons: ['OK'] });
    },
  };

  /** Approved as a drop would be (it may have moved or grown since); a file that is gone leaves the list, with a message. */
  private async openRecent(path: string, win: BrowserWindow | null): Promise<void> {
    try {
      const approved = await this.ipc.approved.approve(path, ['dataset']);
      this.ipc.sendMenuCommand(win, { command: 'open-path', path: approved });
    } catch (error) {
      await this.setRecent(this.recent.filter((p) => p !== path));
      const message = `${error instanceof Error ? error.message : String(error)} It was taken off Open recent.`;
      await (win ? dialog.showMessageBox(win, { type: 'warning', message }) : dialog.showMessageBox({ type: 'warning', message }));
    }
  }

  private render(): void {
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ recent: this.recent, theme: this.theme, platform: process.platform }, this.actions)));
  }
}
