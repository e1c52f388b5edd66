import type { EpochMetrics } from '../../../engine/trainer';
import type { LabClient, RunListItem } from '../../../common/lab-api';
import type { DamagedRun } from '../../../common/run-record';
import type { RunRecord } from '../../../common/run-record';
import { errorMessage } from './format';

export interface RunDetails {
  record: RunRecord;
  metrics: EpochMetrics[];
}

/** Every run in the store (the app's and the command line's), the ones selected to compare, and their details. */
export class RunsList {
  runs = $state.raw<RunListItem[]>([]);
  damaged = $state.raw<DamagedRun[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);
  /** Where a per-run action failed: the run's id and the message, shown next to that run. */
  actionError = $state.raw<{ run: string; message: string } | null>(null);
  selected = $state.raw<string[]>([]);
  /** Details of selected runs, fetched once each. */
  details = $state.raw<Record<string, RunDetails>>({});

  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly lab: LabClient) {}

  /** Coalesces the bursts of runs-changed events a training run makes. */
  scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, 150);
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const { runs, damaged } = await this.lab.listRuns();
      this.runs = runs;
      this.damaged = damaged;
      this.error = null;
      const ids = new Set(runs.map((r) => r.id));
      if (this.selected.some((id) => !ids.has(id))) this.selected = this.selected.filter((id) => ids.has(id));
      // Details of runs that changed (a status, a name) are fetched again when next needed.
      const fresh: Record<string, RunDetails> = {};
      for (const [id, d] of Object.entries(this.details)) {
        const item = runs.find((r) => r.id === id);
        if (item && item.updated === d.record.updated) fresh[id] = d;
      }
      this.details = fresh;
      for (const id of this.selected) void this.loadDetails(id);
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.loading = false;
    }
  }

  toggle(id: string, on: boolean): void {
    this.selected = on ? [...new Set([...this.selected, id])] : this.selected.filter((s) => s !== id);
    if (on) void this.loadDetails(id);
  }

  async loadDetails(id: string): Promise<void> {
    if (this.details[id]) return;
    try {
      const { run, metrics } = await this.lab.getRun(id);
      this.details = { ...this.details, [id]: { record: run, metrics } };
    } catch (error) {
      this.actionError = { run: id, message: errorMessage(error) };
    }
  }

  rename(id: string, name: string): Promise<boolean> {
    return this.act(id, () => this.lab.renameRun(id, name));
  }

  setNotes(id: string, notes: string): Promise<boolean> {
    return this.act(id, () => this.lab.setRunNotes(id, notes));
  }

  async remove(id: string): Promise<void> {
    await this.act(id, async () => {
      await this.lab.deleteRun(id);
      this.selected = this.selected.filter((s) => s !== id);
    });
  }

  /** Runs an action on one run; a failure is shown next to it. Resolves to whether it worked. */
  async act(id: string, action: () => Promise<unknown>): Promise<boolean> {
    this.actionError = null;
    try {
      await action();
      await this.refresh();
      return true;
    } catch (error) {
      this.actionError = { run: id, message: errorMessage(error) };
      return false;
    }
  }
}
