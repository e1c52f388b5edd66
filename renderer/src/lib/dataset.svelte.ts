import type { TaskOverride } from '../../../engine/data/task';
import type { ColumnTypeChoice, ColumnTypes } from '../../../engine/data/column-types';
import type { DatasetHandle, ExampleDataset } from '../../../common/lab-api';
import type { DatasetRoles } from '../../../common/settings';
import type { Host, PickedFile } from './host';
import { errorAbout, errorMessage } from './format';
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
  /** Constant columns the person chose to keep as features (left out otherwise). */
  keepConstant = $state.raw<string[]>([]);
  task = $state<TaskChoice>('auto');
  /** The run whose own dataset this is (shown for it, or the one it was started on); null for a file the person opened since. */
  ownerRun = $state<string | null>(null);
  /** A recent file the browser must be handed again, named while its file picker is open. */
  repick = $state<string | null>(null);
  /** Columns the person chose to read as another type than the detected one. */
  types = $state.raw<ColumnTypes>({});

  /** `onOpened`: told when the person opens a dataset (not when a run's own is shown). */
  constructor(private readonly host: Host, private readonly onOpened: () => void = () => {}) {}

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
      this.error = errorAbout(file.name, error);
      return;
    }
    await this.openPicked(picked);
  }

  /** "Open CSV…": the system's open dialog, or the browser's file picker. */
  async chooseFile(): Promise<void> {
    try {
      const picked = await this.host.chooseFile('dataset');
      if (picked) await this.openPicked(picked);
      else this.repick = null;
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async openPicked(picked: PickedFile): Promise<void> {
    await this.load(picked.name, () => picked.openDataset(), picked.path === null ? { kind: 'upload', name: picked.name } : { kind: 'path', path: picked.path, name: picked.name });
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
    else if (entry.kind === 'path') await this.openPath(entry.path);
    else {
      // A browser cannot open a file by its name: the picker opens at once, in the click that asked for it.
      this.repick = entry.name;
      await this.chooseFile();
    }
  }

  /** A dataset handed over by the lab (a run's, or one still open after a reload), with its columns' roles. */
  async adopt(handle: DatasetHandle, roles: DatasetRoles): Promise<void> {
    this.handle = handle;
    this.ignore = roles.ignore ?? [];
    this.keepConstant = roles.keepConstant ?? [];
    this.task = roles.task ?? 'auto';
    this.types = roles.types ?? {};
    this.error = null;
    if (roles.target && roles.target !== handle.summary.target) await this.setTarget(roles.target);
  }

  /** A dataset the lab still has open (after a reload), with the roles it had; left closed if the lab no longer has it. */
  async reopen(id: string, roles: DatasetRoles): Promise<void> {
    try {
      await this.adopt(await this.host.lab.inspectDataset(id, roles), roles);
    } catch {
      // The lab was restarted since: the person opens the file again.
    }
  }

  async setTarget(column: string): Promise<void> {
    // The column to predict keeps no type of its own: what it is comes from the task.
    const { [column]: _, ...types } = this.types;
    await this.inspect(column, this.ignore.filter((c) => c !== column), this.task, this.keepConstant, types);
  }

  async setType(column: string, type: ColumnTypeChoice): Promise<void> {
    await this.inspect(this.target ?? undefined, this.ignore, this.task, this.keepConstant, { ...this.types, [column]: type });
  }

  async setTask(task: TaskChoice): Promise<void> {
    await this.inspect(this.target ?? undefined, this.ignore, task);
  }

  async setRole(column: string, role: Role): Promise<void> {
    if (role === 'target') return this.setTarget(column);
    await this.setRoles([column], role);
  }

  /** Makes each of `columns` a feature or ignored, in one reading (the bulk actions of a wide file). */
  async setRoles(columns: string[], role: 'feature' | 'ignored'): Promise<void> {
    const chosen = new Set(columns);
    const ignore = role === 'ignored' ? [...new Set([...this.ignore, ...columns])] : this.ignore.filter((c) => !chosen.has(c));
    // A constant column is left out unless named: making it a feature names it.
    const constants = new Set(this.handle?.summary.columns.filter((c) => c.type === 'constant').map((c) => c.name));
    const keep = role === 'feature' ? [...new Set([...this.keepConstant, ...columns.filter((c) => constants.has(c))])] : this.keepConstant.filter((c) => !chosen.has(c));
    // The old target becomes a feature when it is given another role.
    const target = this.target !== null && chosen.has(this.target) ? undefined : this.target ?? undefined;
    await this.inspect(target, ignore, this.task, keep);
  }

  close(): void {
    this.handle = null;
    this.ignore = [];
    this.keepConstant = [];
    this.task = 'auto';
    this.types = {};
    this.error = null;
  }

  private async inspect(target: string | undefined, ignore: string[], task: TaskChoice, keepConstant = this.keepConstant, types: ColumnTypes = this.types): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.busy = true;
    this.error = null;
    try {
      const typed = Object.keys(types).length > 0 ? { types } : {};
      this.handle = await this.host.lab.inspectDataset(handle.id, { ...(target !== undefined ? { target } : {}), ignore, ...(task !== 'auto' ? { task } : {}), keepConstant, ...typed });
      this.ignore = ignore;
      this.keepConstant = keepConstant;
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
    this.repick = null;
    try {
      const handle = await open();
      this.handle = handle;
      this.ownerRun = null;
      this.ignore = [];
      this.keepConstant = [];
      this.task = 'auto';
      this.types = {};
      if (recent) this.recent = addRecent(recent);
      this.onOpened();
    } catch (error) {
      this.error = errorAbout(name, error);
    } finally {
      this.busy = false;
      this.opening = '';
    }
  }
}
