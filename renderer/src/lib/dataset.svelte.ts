import type { TaskOverride } from '../../../engine/data/task';
import type { ColumnTypeChoice, ColumnTypes } from '../../../engine/data/column-types';
import type { DatasetHandle, ExampleDataset } from '../../../common/lab-api';
import type { Host, PickedFile } from './host';
import { errorMessage } from './format';
import { addRecent, loadRecent, type RecentDataset } from './recent';

export type Role = 'feature' | 'target' | 'ignored';
export type TaskChoice = 'auto' | TaskOverride;

/** The dataset on the bench: how it was read, its columns and roles, and how it was opened. */
export class BenchDataset {
  handle = $state.raw<DatasetHandle | null>(null);
  busy = $state(false);
  /** What is being opened, for the progress note. */
  opening = $state('');
  error = $state<string | null>(null);
  examples = $state.raw<ExampleDataset[]>([]);
  recent = $state.raw<RecentDataset[]>(loadRecent());
  /** Columns the person chose to leave out (others may be left out automatically, with a reason). */
  ignore = $state.raw<string[]>([]);
  task = $state<TaskChoice>('auto');
  /** Columns the person chose to read as another type than the detected one. */
  types = $state.raw<ColumnTypes>({});

  constructor(private readonly host: Host) {}

  get target(): string | null {
    return this.handle?.summary.target ?? null;
  }

  async loadExamples(): Promise<void> {
    try {
      this.examples = await this.host.lab.exampleDatasets();
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  /** A file dropped on the window or handed over by a file input. */
  async openFile(file: File): Promise<void> {
    let picked: PickedFile;
    try {
      picked = await this.host.pickedFile(file);
    } catch (error) {
      this.error = `${file.name}: ${errorMessage(error)}`;
      return;
    }
    await this.openPicked(picked);
  }

  /** "Open CSV…": the system's open dialog, or the browser's file picker. */
  async chooseFile(): Promise<void> {
    try {
      const picked = await this.host.chooseFile('dataset');
      if (picked) await this.openPicked(picked);
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async openPicked(picked: PickedFile): Promise<void> {
    await this.load(picked.name, () => picked.openDataset(), picked.path === null ? null : { kind: 'path', path: picked.path, name: picked.name });
  }

  /** A file the desktop app opened before (Recent files). */
  async openPath(path: string): Promise<void> {
    const name = path.split(/[\\/]/).pop() ?? path;
    await this.load(name, () => this.host.lab.openDatasetPath(path), { kind: 'path', path, name });
  }

  async openExample(id: string, noise?: number): Promise<void> {
    const example = this.examples.find((e) => e.id === id);
    const name = example?.name ?? id;
    await this.load(name, () => (noise === undefined ? this.host.lab.openExample(id) : this.host.lab.openExample(id, noise)), { kind: 'example', id, name, ...(noise !== undefined ? { noise } : {}) });
  }

  async openRecent(entry: RecentDataset): Promise<void> {
    if (entry.kind === 'example') await this.openExample(entry.id, entry.noise);
    else await this.openPath(entry.path);
  }

  /** A dataset handed over by the lab (a duplicated run's), with the roles its settings name. */
  adopt(handle: DatasetHandle, ignore: string[] = [], task: TaskChoice = 'auto', types: ColumnTypes = {}): void {
    this.handle = handle;
    this.ignore = ignore;
    this.task = task;
    this.types = types;
    this.error = null;
  }

  async setTarget(column: string): Promise<void> {
    // The column to predict keeps no type of its own: what it is comes from the task.
    const { [column]: _, ...types } = this.types;
    await this.inspect(column, this.ignore.filter((c) => c !== column), this.task, types);
  }

  async setType(column: string, type: ColumnTypeChoice): Promise<void> {
    await this.inspect(this.target ?? undefined, this.ignore, this.task, { ...this.types, [column]: type });
  }

  async setTask(task: TaskChoice): Promise<void> {
    await this.inspect(this.target ?? undefined, this.ignore, task);
  }

  async setRole(column: string, role: Role): Promise<void> {
    if (role === 'target') return this.setTarget(column);
    const ignore = role === 'ignored' ? [...new Set([...this.ignore, column])] : this.ignore.filter((c) => c !== column);
    // The old target becomes a feature when it is given another role.
    await this.inspect(column === this.target ? undefined : this.target ?? undefined, ignore, this.task);
  }

  close(): void {
    this.handle = null;
    this.ignore = [];
    this.task = 'auto';
    this.types = {};
    this.error = null;
  }

  private async inspect(target: string | undefined, ignore: string[], task: TaskChoice, types: ColumnTypes = this.types): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.busy = true;
    this.error = null;
    try {
      const typed = Object.keys(types).length > 0 ? { types } : {};
      this.handle = await this.host.lab.inspectDataset(handle.id, { ...(target !== undefined ? { target } : {}), ignore, ...(task !== 'auto' ? { task } : {}), ...typed });
      this.ignore = ignore;
      this.task = task;
      this.types = types;
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  /** `recent`: what to remember (undefined: nothing; null: not reopenable, so not remembered). */
  private async load(name: string, open: () => Promise<DatasetHandle>, recent?: RecentDataset | null): Promise<void> {
    this.busy = true;
    this.opening = name;
    this.error = null;
    try {
      const handle = await open();
      this.handle = handle;
      this.ignore = [];
      this.task = 'auto';
      this.types = {};
      if (recent) this.recent = addRecent(recent);
    } catch (error) {
      this.error = `${name}: ${errorMessage(error)}`;
    } finally {
      this.busy = false;
      this.opening = '';
    }
  }
}
