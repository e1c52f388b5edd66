import { getContext, setContext } from 'svelte';
import type { LabEvent } from '../../../common/lab-api';
import { CrossValidation } from './cross-validation.svelte';
import { BenchDataset } from './dataset.svelte';
import { errorMessage } from './format';
import type { Host } from './host';
import { BenchPredict } from './predict.svelte';
import { RunsList } from './runs.svelte';
import { BenchRun } from './session.svelte';
import type { DatasetRoles } from '../../../common/settings';
import { datasetShape } from './dataset-shape';
import { defaultSettings, type TrainSettings } from './settings';
import type { ConnectionStatus } from './ws-client';

export const VIEWS = ['data', 'model', 'train', 'runs', 'predict'] as const;
export type View = (typeof VIEWS)[number];

/** Everything on the lab bench: the dataset, the settings, the run and the list of runs; views only read and call it. */
export class Bench {
  readonly dataset: BenchDataset;
  readonly run: BenchRun;
  readonly runs: RunsList;
  /** Predicting new rows with a saved model (the Predict view). */
  readonly predict: BenchPredict;
  /** Cross-validation from the Train view: its folds, progress and results. */
  readonly crossValidation: CrossValidation;
  settings = $state<TrainSettings>(defaultSettings());
  view = $state<View>('data');
  connection = $state<ConnectionStatus | 'desktop'>('desktop');
  /** A problem not tied to one place (the lab unreachable at start). */
  error = $state<string | null>(null);
  private unsubscribe: (() => void) | null = null;

  constructor(readonly host: Host) {
    this.dataset = new BenchDataset(host);
    this.run = new BenchRun(host.lab, () => this.dataset.handle !== null);
    this.runs = new RunsList(host.lab);
    this.predict = new BenchPredict(host);
    this.crossValidation = new CrossValidation(host.lab, this.run);
  }

  /** Listens to the lab, then picks up where a previous page left off: live sessions, their curves, the runs. */
  async connect(): Promise<void> {
    this.host.onConnection?.((status) => { this.connection = status; });
    this.unsubscribe = this.host.lab.subscribe((event) => this.handle(event));
    await Promise.all([this.dataset.loadExamples(), this.runs.refresh(), this.reconnectSessions()]);
  }

  disconnect(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The columns' roles the Data view shows, as createSession takes them. */
  roles(): DatasetRoles {
    const dataset = this.dataset;
    return {
      ...(dataset.target ? { target: dataset.target } : {}),
      ...(dataset.ignore.length > 0 ? { ignore: [...dataset.ignore] } : {}),
      ...(dataset.task !== 'auto' ? { task: dataset.task } : {}),
      ...(Object.keys(dataset.types).length > 0 ? { types: { ...dataset.types } } : {}),
    };
  }

  private plan(): { roles: DatasetRoles; settings: TrainSettings } {
    const settings = $state.snapshot(this.settings) as TrainSettings;
    // Class weights are for classes: the form shows them off for a number to predict, and so the request says.
    if (settings.classWeight && datasetShape(this.dataset.handle?.summary ?? null).task === 'regression') settings.classWeight = 'none';
    return { roles: this.roles(), settings };
  }

  /** Whether Start can be pressed: not while a cross-validation experiment trains its folds. */
  get canStart(): boolean { return this.run.canStart && !this.crossValidation.running; }

  start(): Promise<void> {
    if (!this.run.live && !this.dataset.handle) {
      this.run.error = 'Open a dataset first: drop a CSV file on the window, or pick an example.';
      return Promise.resolve();
    }
    if (this.crossValidation.running) return Promise.resolve();
    const folds = this.crossValidation.folds;
    if (!this.run.live && folds !== null && this.dataset.handle) return this.crossValidation.train(this.dataset.handle.id, this.plan(), folds);
    this.crossValidation.clear();
    return this.run.start(this.dataset.handle?.id ?? null, this.plan());
  }

  step(): Promise<void> {
    if (this.crossValidation.running && !this.run.live) return Promise.resolve();
    if (!this.run.live && !this.dataset.handle) {
      this.run.error = 'Open a dataset first: drop a CSV file on the window, or pick an example.';
      return Promise.resolve();
    }
    return this.run.step(this.dataset.handle?.id ?? null, this.plan());
  }

  /** A new experiment from a stored run: its dataset and settings on the bench, ready to change and start. */
  async duplicate(id: string): Promise<void> {
    await this.runs.act(id, async () => {
      const { settings, roles, dataset } = await this.host.lab.duplicateRun(id);
      this.dataset.adopt(dataset, roles.ignore ?? [], roles.task ?? 'auto', roles.types ?? {});
      if (roles.target && roles.target !== dataset.summary.target) await this.dataset.setTarget(roles.target);
      this.settings = settings;
      this.run.clear();
      this.view = 'model';
    });
  }

  /** A stored run's model in the Predict view, ready for a CSV file of new rows. */
  async predictWith(id: string, name?: string): Promise<void> {
    this.view = 'predict';
    await this.predict.useRun(id, name);
  }

  async open(id: string): Promise<void> {
    const live = (await this.host.lab.sessions().catch(() => [])).find((s) => s.run === id);
    if (live) this.run.attach(live);
    else await this.run.open(id);
    this.view = 'train';
    await this.showSettingsOf(id);
  }

  /** The form shows the settings of the run on the bench (after a reload, or when a run is opened). */
  private async showSettingsOf(id: string): Promise<void> {
    try {
      const { run } = await this.host.lab.getRun(id);
      const { name: _name, ...settings } = run.request.settings;
      // The form shows the kernels that trained the run (a run recorded before the choice trained with 'wasm').
      this.settings = { ...settings, kernels: run.training.kernels ?? 'wasm' };
    } catch {
      // The run's own view shows why it cannot be read.
    }
  }

  async resume(id: string): Promise<void> {
    const ok = await this.runs.act(id, () => this.run.resumeStored(id).then(() => {
      if (this.run.error) throw new Error(this.run.error);
    }));
    if (ok) {
      this.view = 'train';
      await this.run.resume();
    }
  }

  private async reconnectSessions(): Promise<void> {
    try {
      const sessions = await this.host.lab.sessions();
      // The busiest session first: one training now, else one paused, else any.
      const rank = (state: string) => (state === 'training' ? 0 : state === 'paused' ? 1 : 2);
      const current = [...sessions].sort((a, b) => rank(a.state) - rank(b.state))[0];
      if (current && this.run.run === null) {
        this.run.attach(current);
        this.view = 'train';
        await this.showSettingsOf(current.run);
      }
    } catch (error) {
      this.error = `The lab could not be reached: ${errorMessage(error)}`;
    }
  }

  private handle(event: LabEvent): void {
    if (event.type === 'runs-changed') {
      this.runs.scheduleRefresh();
      return;
    }
    this.run.handle(event);
  }
}

const KEY = Symbol('bench');

export function provideBench(bench: Bench): void {
  setContext(KEY, bench);
}

export function useBench(): Bench {
  const bench = getContext<Bench | undefined>(KEY);
  if (!bench) throw new Error('This component needs a Bench in its context (provideBench).');
  return bench;
}
