import { getContext, setContext } from 'svelte';
import type { LabEvent } from '../../../common/lab-api';
import { CrossValidation } from './cross-validation.svelte';
import { SeedSweep } from './seed-sweep.svelte';
import { BenchDataset } from './dataset.svelte';
import { errorMessage } from './format';
import type { Host } from './host';
import { BenchPredict } from './predict.svelte';
import { RunsList } from './runs.svelte';
import { BenchRun, type RunPlan } from './session.svelte';
import type { DatasetRoles } from '../../../common/settings';
import { datasetShape } from './dataset-shape';
import { loadPlace, savePlace, type BenchPlace } from './bench-place';
import { FieldProblems } from './field-problems.svelte';
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
  /** A seed sweep of the bench's settings from the Train view. */
  readonly seedSweep: SeedSweep;
  settings = $state<TrainSettings>(defaultSettings());
  /** Settings fields holding an entry that cannot be used: Start waits for them. */
  readonly problems = new FieldProblems();
  /** Whether a newly opened dataset keeps the settings on the bench rather than getting the defaults. */
  keepSettings = $state(false);
  view = $state<View>('data');
  connection = $state<ConnectionStatus | 'desktop'>('desktop');
  /** A problem not tied to one place (the lab unreachable at start). */
  error = $state<string | null>(null);
  private unsubscribe: (() => void) | null = null;
  private stopRemembering: (() => void) | null = null;

  constructor(readonly host: Host) {
    // New data gets the defaults, unless the person chose to keep the settings of the previous experiment.
    this.dataset = new BenchDataset(host, () => { if (!this.keepSettings) this.restoreDefaults(); });
    this.run = new BenchRun(host.lab, () => this.dataset.handle !== null);
    this.runs = new RunsList(host.lab);
    this.predict = new BenchPredict(host);
    this.crossValidation = new CrossValidation(host.lab, this.run);
    this.seedSweep = new SeedSweep(host.lab);
  }

  /**
   * Listens to the lab, then picks up where a previous page left off: live sessions, their curves, the runs;
   * with none training, the run or dataset this tab had on the bench before a reload.
   */
  async connect(): Promise<void> {
    const place = loadPlace();
    this.host.onConnection?.((status) => { this.connection = status; });
    this.unsubscribe = this.host.lab.subscribe((event) => this.handle(event));
    await Promise.all([this.dataset.loadExamples(), this.runs.refresh(), this.reconnectSessions()]);
    if (this.run.run === null && !this.dataset.handle) await this.restore(place);
    this.stopRemembering = $effect.root(() => {
      $effect(() => {
        const handle = this.dataset.handle;
        const settings = $state.snapshot(this.settings) as TrainSettings;
        savePlace({ run: this.run.run, dataset: handle ? { id: handle.id, roles: this.roles() } : null, view: this.view, settings });
      });
    });
  }

  disconnect(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.stopRemembering?.();
    this.stopRemembering = null;
  }

  /** The run (with its dataset and settings) or the dataset this tab had, as far as the lab still has them. */
  private async restore({ run, dataset, view, settings }: BenchPlace): Promise<void> {
    // The form as it was; a run brought back below shows its own settings instead.
    if (settings) this.showSettings(settings);
    if (run) {
      await this.run.open(run);
      if (this.run.error) this.run.clear();
      else await this.showBenchOf(run);
    }
    if (!this.dataset.handle && dataset) await this.dataset.reopen(dataset.id, dataset.roles);
    if ((this.run.run !== null || this.dataset.handle) && VIEWS.includes(view as View)) this.view = view as View;
  }

  /** The columns' roles the Data view shows, as createSession takes them. */
  roles(): DatasetRoles {
    const dataset = this.dataset;
    return {
      ...(dataset.target ? { target: dataset.target } : {}),
      ...(dataset.ignore.length > 0 ? { ignore: [...dataset.ignore] } : {}),
      ...(dataset.task !== 'auto' ? { task: dataset.task } : {}),
      // Always said, so that a network without biases gets only the constant columns the Data view shows as features.
      keepConstant: [...dataset.keepConstant],
      ...(Object.keys(dataset.types).length > 0 ? { types: { ...dataset.types } } : {}),
    };
  }

  private plan(): { roles: DatasetRoles; settings: TrainSettings } {
    const settings = $state.snapshot(this.settings) as TrainSettings;
    // Class weights are for classes: the form shows them off for a number to predict, and so the request says.
    if (settings.classWeight && datasetShape(this.dataset.handle?.summary ?? null).task === 'regression') settings.classWeight = 'none';
    return { roles: this.roles(), settings };
  }

  /** The form's settings as a new run would be made with them (a fork of a saved epoch too). */
  newRunSettings(): TrainSettings {
    return this.plan().settings;
  }

  /** Whether Start can be pressed: not while a cross-validation experiment trains its folds, nor with a field that cannot be used. */
  get canStart(): boolean { return this.run.canStart && !this.crossValidation.running && !this.blocksNewRun; }

  /** Step takes one mini-batch of the run on the bench, or begins a new run (which an invalid field holds back). */
  get canStep(): boolean { return this.run.canStep && (this.run.live || !this.blocksNewRun); }

  /** Why a new run cannot start: a field whose entry cannot be used, named with what it allows. */
  get startProblem(): string | null {
    const problem = this.problems.first;
    return problem ? `Start is off until this is fixed: ${problem.message}` : null;
  }

  private get blocksNewRun(): boolean { return this.problems.first !== null; }

  /** The settings and architecture a new experiment begins with (TRAINING_DEFAULTS). */
  restoreDefaults(): void {
    this.settings = defaultSettings();
    this.problems.clear();
  }

  /** Trains the bench's settings over `seeds` seeds (a sweep), beside whatever run is on the bench. */
  sweepSeeds(seeds: number): Promise<void> {
    if (this.blocksNewRun || !this.dataset.handle) return Promise.resolve();
    const { roles, settings } = this.plan();
    return this.seedSweep.train(this.dataset.handle.id, roles, settings, seeds).then(() => this.runs.refresh());
  }

  start(): Promise<void> {
    if (!this.run.live && this.blocksNewRun) return Promise.resolve();
    if (!this.run.live && !this.dataset.handle) {
      this.run.error = 'Open a dataset first: drop a CSV file on the window, or pick an example.';
      return Promise.resolve();
    }
    if (this.crossValidation.running) return Promise.resolve();
    const folds = this.crossValidation.folds;
    if (!this.run.live && folds !== null && this.dataset.handle) return this.crossValidation.train(this.dataset.handle.id, this.plan(), folds);
    this.crossValidation.clear();
    return this.run.start(this.dataset.handle?.id ?? null, this.plan()).then(() => {
      if (this.run.run && this.dataset.handle) this.dataset.ownerRun = this.run.run;
    });
  }

  step(): Promise<void> {
    return this.stepWith((datasetId, plan) => this.run.step(datasetId, plan));
  }

  /** Step, with the engine's trace of the mini-batch to show. */
  stepInDetail(): Promise<void> {
    return this.stepWith((datasetId, plan) => this.run.stepInDetail(datasetId, plan));
  }

  /** One mini-batch of the run on the bench, or of a new run when none is live and one may begin. */
  private stepWith(step: (datasetId: string | null, plan: RunPlan) => Promise<void>): Promise<void> {
    if ((this.crossValidation.running || this.blocksNewRun) && !this.run.live) return Promise.resolve();
    if (!this.run.live && !this.dataset.handle) {
      this.run.error = 'Open a dataset first: drop a CSV file on the window, or pick an example.';
      return Promise.resolve();
    }
    return step(this.dataset.handle?.id ?? null, this.plan());
  }

  /** A new experiment from a stored run: its dataset and settings on the bench, ready to change and start. */
  async duplicate(id: string): Promise<void> {
    await this.runs.act(id, async () => {
      const { settings, roles, dataset } = await this.host.lab.duplicateRun(id);
      await this.dataset.adopt(dataset, roles);
      this.settings = settings;
      this.problems.clear();
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
    await this.showBenchOf(id);
  }

  /**
   * The bench shows the run's own dataset, roles and settings, as the lab has them, so that a reload, a second
   * window, an opened run and a resumed one all show the same.
   */
  private async showBenchOf(id: string): Promise<void> {
    try {
      const { settings, roles, dataset } = await this.host.lab.runBench(id);
      if (this.run.run !== id) return;
      this.showSettings(settings);
      await this.dataset.adopt(dataset, roles);
      this.dataset.ownerRun = id;
    } catch (error) {
      // The run's file cannot be read again (moved, or not readable here): the form still shows its settings,
      // and the Data view no other dataset than the run's.
      const stored = await this.host.lab.getRun(id).catch(() => null);
      if (!stored || this.run.run !== id) return;
      this.showSettings({ ...stored.run.request.settings, kernels: stored.run.training.kernels ?? 'wasm' });
      this.dataset.close();
      this.dataset.error = `The data of ${stored.run.name} cannot be opened here: ${errorMessage(error)}`;
    }
  }

  /** The settings of the run on the bench, without its name: a next run from them gets its own. */
  private showSettings(settings: TrainSettings): void {
    const { name: _name, ...shown } = settings;
    this.settings = shown;
    this.problems.clear();
  }

  async resume(id: string): Promise<void> {
    const ok = await this.runs.act(id, () => this.run.resumeStored(id).then(() => {
      if (this.run.error) throw new Error(this.run.error);
    }));
    if (ok) {
      this.view = 'train';
      await Promise.all([this.run.resume(), this.showBenchOf(id)]);
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
        await this.showBenchOf(current.run);
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
