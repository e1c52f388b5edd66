import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronBinary } from '../../scripts/electron-binary.mjs';
import { ringsCsv, stepOf, statusText, waitForStatus } from './support/page-helpers';
import { repoRoot } from './support/serve';

// The functions given to evaluate() run in the page; these describe the browser globals they use.
declare const DataTransfer: { new (): { items: { add(file: unknown): void } } };
declare const DragEvent: { new (type: string, init: { dataTransfer: unknown; bubbles: boolean; cancelable: boolean }): Event };
interface FileInput { type: string; id: string; hidden: boolean; files: unknown[] }
declare const document: { createElement(tag: 'input'): FileInput; querySelector(selector: string): FileInput | null; body: EventTarget & { append(node: FileInput): void } };

const binary = electronBinary();
const SKIP_REASON = 'no Electron runtime here: set NNLAB_ELECTRON to an Electron binary, or install the electron package where it can download its runtime';

/**
 * The real desktop app (out/main/index.js in Electron), driven through playwright-core's Electron support.
 * Only the system's dialogs are stubbed, in the main process, at the dialog boundary.
 */
describe.skipIf(!binary).sequential(`the desktop app in Electron${binary ? '' : ` (skipped: ${SKIP_REASON})`}`, () => {
  let app: ElectronApplication;
  let page: Page;
  const scratch = mkdtempSync(join(tmpdir(), 'nnlab-electron-'));
  const home = join(scratch, 'lab');
  const rings = join(scratch, 'rings.csv');
  const iris = join(scratch, 'iris.csv');
  const shot = (name: string) => page.screenshot({ path: join(tmpdir(), `nnlab-electron-${name}.png`) });

  beforeAll(async () => {
    writeFileSync(rings, ringsCsv(20_000));
    writeFileSync(iris, readFileSync(join(repoRoot, 'datasets', 'iris.csv')));
    const env = Object.fromEntries(Object.entries({ ...process.env, NNLAB_HOME: home }).filter(([key, value]) => value !== undefined && key !== 'ELECTRON_RENDERER_URL')) as Record<string, string>;
    app = await _electron.launch({ executablePath: binary!, args: [repoRoot, `--user-data-dir=${join(scratch, 'user-data')}`], cwd: repoRoot, env });
    page = await app.firstWindow();
    await page.getByRole('status').waitFor();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The next open dialog answers `path`, as the person choosing that file would. */
  async function nextOpenDialogChooses(path: string): Promise<void> {
    await app.evaluate(({ dialog }, chosen) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [chosen] })) as typeof dialog.showOpenDialog;
    }, path);
  }

  /** Clicks an item of the application menu as the person would, for the app's window. */
  async function clickMenu(path: string[]): Promise<void> {
    await app.evaluate(({ BrowserWindow, Menu }, labels) => {
      let items = Menu.getApplicationMenu()!.items;
      let item = items.find((i) => i.label === labels[0])!;
      for (const label of labels.slice(1)) {
        items = item.submenu!.items;
        item = items.find((i) => i.label === label)!;
      }
      item.click(undefined, BrowserWindow.getAllWindows()[0], undefined);
    }, path);
  }

  it('opens a CSV file through the Open dialog', async () => {
    await nextOpenDialogChooses(iris);
    await page.getByRole('button', { name: 'Open CSV…' }).first().click();
    await page.getByRole('combobox', { name: 'Target' }).waitFor();
    await waitForStatus(page, /^Ready to train$/);
    expect(await page.getByText('dataset: iris.csv').count()).toBe(1);
    await shot('opened');
  });

  it('opens a CSV file dropped from the disk', async () => {
    // A File with a path on disk, as a drag from the file manager gives: set on a file input by path, then dropped.
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'drop-source';
      input.hidden = true;
      document.body.append(input);
    });
    await page.setInputFiles('#drop-source', rings);
    await page.evaluate(() => {
      const file = document.querySelector('#drop-source')!.files[0];
      const transfer = new DataTransfer();
      transfer.items.add(file);
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    });
    await page.getByText('dataset: rings.csv').waitFor();
    const target = page.getByRole('combobox', { name: 'Target' });
    await target.selectOption('ring');
  });

  it('keeps both files in File → Open recent, newest first', async () => {
    const recent = await app.evaluate(({ Menu }) => {
      const file = Menu.getApplicationMenu()!.items.find((i) => i.label === 'File')!;
      const open = file.submenu!.items.find((i) => i.label === 'Open recent')!;
      return open.submenu!.items.filter((i) => i.type !== 'separator').map((i) => i.label);
    });
    expect(recent.slice(0, 2)).toEqual([rings, iris]);
  });

  it('trains, pauses, steps one mini-batch from the Run menu, and stops', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('100000');
    await page.getByRole('checkbox', { name: 'Early stopping' }).uncheck();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Training · epoch [\d,]+ · step [1-9]/);
    await shot('training');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const paused = stepOf(await waitForStatus(page, /^Paused · /));
    await clickMenu(['Run', 'Step']);
    await waitForStatus(page, new RegExp(`^Paused · .* step ${(paused + 1).toLocaleString('en-US')} ·`));
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await waitForStatus(page, new RegExp(`^Paused · .* step ${(paused + 2).toLocaleString('en-US')} ·`));
    await clickMenu(['Run', 'Stop']);
    await waitForStatus(page, /^Stopped · /);
  });

  it('shows inside the network: one mini-batch in detail, the gradient check, training health and the boundary\'s plane', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByRole('button', { name: 'Step in detail' }).click();
    await page.getByRole('region', { name: 'Backpropagation step' }).getByRole('heading', { name: 'Backpropagation step 1' }).waitFor();
    await waitForStatus(page, /^Paused · .* step 1 ·/);
    await page.getByRole('button', { name: 'Check gradients' }).click();
    await page.getByRole('region', { name: 'Gradient check' }).getByRole('heading', { name: 'Gradient check passed' }).waitFor();
    await page.getByRole('region', { name: 'Training health' }).waitFor();
    await page.getByRole('combobox', { name: 'Plane' }).waitFor();
    await shot('inside');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForStatus(page, /^Stopped · /);
  });

  it('exports the model through the save dialog', async () => {
    const saved = join(scratch, 'exported.nnlab.json');
    await app.evaluate(({ dialog }, path) => {
      dialog.showSaveDialogSync = (() => path) as typeof dialog.showSaveDialogSync;
    }, saved);
    await clickMenu(['File', 'Export model…']);
    await page.getByRole('button', { name: 'nnlab model (JSON)' }).click();
    // The download is complete once the file parses whole.
    const parsed = () => {
      try {
        return existsSync(saved) ? (JSON.parse(readFileSync(saved, 'utf8')) as { format: string; inputs: string[] }) : null;
      } catch {
        return null;
      }
    };
    await expect.poll(parsed, { timeout: 30_000 }).not.toBeNull();
    const model = parsed()!;
    expect(model.format).toBe('nnlab-model');
    expect(model.inputs).toEqual(['x', 'y']);
  });

  it('follows View → Theme, and shows the same choice in the page\'s Theme select', async () => {
    await clickMenu(['View', 'Theme', 'Dark']);
    await expect.poll(() => page.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('dark');
    await shot('dark');
    await page.getByRole('combobox', { name: 'Theme' }).selectOption('light');
    await expect.poll(() => app.evaluate(({ nativeTheme }) => nativeTheme.themeSource)).toBe('light');
  });

  it('leaves a run whose training process is killed interrupted, and resumes it', async () => {
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForStatus(page, /^Training · epoch [\d,]+ · step [1-9]/);
    const pids = await app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().filter((metric) => metric.type === 'Utility' && metric.serviceName === 'nnlab training').map((metric) => metric.pid));
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByRole('button', { name: /^Details of / }).first().click();
    const details = page.getByRole('region', { name: /^Run / });
    await details.getByText('Interrupted').first().waitFor({ timeout: 30_000 });
    await shot('interrupted');
    await details.getByRole('button', { name: 'Resume', exact: true }).click();
    const resumed = await waitForStatus(page, /^Training · /);
    expect(stepOf(resumed)).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await waitForStatus(page, /^Stopped · /);
    expect(await statusText(page)).toMatch(/^Stopped · /);
  });
});
