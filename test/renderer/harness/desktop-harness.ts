import { mount } from 'svelte';
import App from '../../../renderer/src/App.svelte';
import type { LabClient } from '../../../common/lab-api';
import type { MenuCommand, Theme } from '../../../common/menu-commands';
import { Bench } from '../../../renderer/src/lib/bench.svelte';
import type { Host } from '../../../renderer/src/lib/host';
import { startTheme } from '../../../renderer/src/lib/theme';
import '../../../renderer/src/styles.css';

/**
 * The whole app as the desktop host runs it, over a lab with no runs and no datasets, so that a test can
 * send the app menus' commands (`window.desktop.menu(...)`) and see what the page does with them.
 */
const calls: { method: string; args: unknown[] }[] = [];
const record = (method: string, answer: (...args: unknown[]) => unknown) => (...args: unknown[]) => {
  calls.push({ method, args });
  return Promise.resolve(answer(...args));
};
const lab = {
  exampleDatasets: record('exampleDatasets', () => []),
  listRuns: record('listRuns', () => ({ runs: [], damaged: [], experiments: [] })),
  sessions: record('sessions', () => []),
  exportFormats: record('exportFormats', () => []),
  openDatasetPath: (...args: unknown[]) => {
    calls.push({ method: 'openDatasetPath', args });
    return Promise.reject(new Error(`${String(args[0])} could not be read.`));
  },
  subscribe: () => () => {},
} as unknown as LabClient;

const menuListeners = new Set<(command: MenuCommand) => void>();
const themes: Theme[] = [];
const host: Host = {
  kind: 'desktop',
  lab,
  chooseFile: record('chooseFile', () => null) as Host['chooseFile'],
  pickedFile: () => Promise.reject(new Error('not in this harness')),
  saveFile: async () => {},
  onMenuCommand: (listener) => {
    menuListeners.add(listener);
    return () => { menuListeners.delete(listener); };
  },
  setTheme: (theme) => { themes.push(theme); },
};

startTheme();
mount(App, { target: document.getElementById('app')!, props: { bench: new Bench(host) } });

declare global {
  interface Window {
    desktop: { menu(command: MenuCommand): void; calls(): typeof calls; themes(): Theme[]; listeners(): number };
  }
}
window.desktop = {
  menu: (command) => { for (const listener of [...menuListeners]) listener(command); },
  calls: () => structuredClone(calls),
  themes: () => [...themes],
  listeners: () => menuListeners.size,
};
