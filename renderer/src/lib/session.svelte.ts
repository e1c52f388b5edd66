import type { LabClient, LabEvent, RunEvaluation, RunStepTrace, SessionInfo, SessionStatus, SnapshotLayer } from '../../../common/lab-api';
import type { RunRecord } from '../../../common/run-record';
import type { Progress } from '../../../common/worker-protocol';
import { errorMessage } from './format';
import type { DatasetRoles, TrainSettings } from '../../../common/settings';

/** What a new run is made of: the columns' roles and the settings. */
export interface RunPlan {
  roles: DatasetRoles;
  settings: TrainSettings;
}
import { TrainingMetrics } from './training-metrics';

/** How often the weights are fetched for the diagram and the decision boundary while a run trains. */
const SNAPSHOT_EVERY_MS = 400;

// 'rolled-back': the run diverged and waits at its last good epoch to continue at a lower learning rate, or stop.
const LIVE_STATES = new Set(['loading', 'ready', 'training', 'paused', 'rolled-back']);
const ENDED_STATES = new Set(['finished', 'stopped', 'diverged']);

/**
 * The run on the bench: a live training session, or a stored run opened to look at. Its state is
 * reactive; its curves live in `metrics`, typed arrays that charts read on their own schedule.
 */
export class BenchRun {
  /** Slow motion: at most this many mini-batches a second (each shown), or null for full speed. */
  speed = $state<number | null>(null);
  run = $state<string | null>(null);
  name = $state('');
  /** A session state, 'idle' before any run, or a stored run's status. */
  state = $state<string>('idle');
  /** Whether a training process holds this run (commands reach it). */
  live = $state(false);
  progress = $state.raw<Progress | null>(null);
  /** A command is on its way. */
  busy = $state(false);
  error = $state<string | null>(null);
  message = $state('');
  warnings = $state.raw<string[]>([]);
  record = $state.raw<RunRecord | null>(null);
  snapshot = $state.raw<SnapshotLayer[] | null>(null);
  evaluation = $state.raw<RunEvaluation | null>(null);
  evaluationError = $state<string | null>(null);
  /** The last step taken in detail, shown until the next command or another run. */
  stepTrace = $state.raw<RunStepTrace | null>(null);
  readonly metrics = new TrainingMetrics();

  private snapshotWatchers = 0;
  private snapshotTimer: ReturnType<typeof setInterval> | null = null;
  private snapshotPending = false;
  private evaluated: string | null = null;
  /** Checks of whenEnded, each true once it has resolved. */
  private endWaiters: (() => boolean)[] = [];

  /** `hasData`: whether there is a dataset to train on before a run exists. */
  constructor(private readonly lab: LabClient, private readonly hasData: () => boolean = () => true) {}

  /** Before a run, or once the run on the bench has ended, Start and Step begin a new run. */
  get canStart(): boolean { return !this.busy && (!this.live ? this.hasData() : this.state === 'ready'); }
  get canPause(): boolean { return !this.busy && this.live && this.state === 'training'; }
  get canResume(): boolean { return !this.busy && this.live && this.state === 'paused'; }
  get canStep(): boolean { return !this.busy && (!this.live ? this.hasData() : this.state === 'paused' || this.state === 'ready'); }
  get canStop(): boolean { return !this.busy && this.live && ['ready', 'training', 'paused', 'rolled-back'].includes(this.state); }
  get canReset(): boolean { return !this.busy && this.run !== null && this.state !== 'training'; }
  get hasModel(): boolean { return this.run !== null && ENDED_STATES.has(this.state); }

  /** Starts training: a new session from the dataset and settings when there is none yet. */
  async start(datasetId: string | null, plan: RunPlan): Promise<void> {
    await this.command(async () => {
      if (!this.live) {
        await this.create(datasetId, plan);
        // A new run trains at the speed chosen on the bench from its first step.
        if (this.speed !== null) this.adopt(await this.lab.setSpeed(this.run!, this.speed));
      }
      this.adopt(await this.lab.start(this.run!));
    });
  }

  /** Slow motion for the run on the bench and the runs started after it: mini-batches a second, or null for full speed. */
  async setSpeed(speed: number | null): Promise<void> {
    this.speed = speed;
    if (!this.live) return;
    await this.command(async () => this.adopt(await this.lab.setSpeed(this.run!, speed)));
  }

  /** Starts a new run that `open` makes (a fold of a cross-validation experiment); its session, or null if it failed. */
  async startNew<Info extends SessionInfo>(open: () => Promise<Info>): Promise<Info | null> {
    const opened: { info: Info | null } = { info: null };
    await this.command(async () => {
      if (this.run !== null) this.clear();
      this.state = 'loading';
      const info = await open();
      opened.info = info;
      this.attach(info);
      this.adopt(await this.lab.start(info.run));
    });
    return this.error ? null : opened.info;
  }

  /** Resolves with the run's last state once it has ended (finished, stopped, diverged or failed), or left the bench. */
  whenEnded(run: string): Promise<string> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.run !== run) resolve('stopped');
        else if (!this.live && this.state !== 'loading') resolve(this.state);
        else return false;
        return true;
      };
      if (!check()) this.endWaiters.push(check);
    });
  }

  async pause(): Promise<void> {
    await this.command(async () => this.adopt(await this.lab.pause(this.run!)));
    this.refreshSnapshot();
  }

  async resume(): Promise<void> {
    await this.command(async () => this.adopt(await this.lab.resume(this.run!)));
  }

  /** Exactly one mini-batch; before the first start, the session is made first. */
  async step(datasetId: string | null, plan: RunPlan): Promise<void> {
    await this.command(async () => {
      if (!this.live) await this.create(datasetId, plan);
      this.adopt(await this.lab.step(this.run!, 1));
    });
    this.refreshSnapshot();
  }

  /** Exactly one mini-batch with the engine's trace of it; before the first start, the session is made first. */
  async stepInDetail(datasetId: string | null, plan: RunPlan): Promise<void> {
    await this.command(async () => {
      if (!this.live) await this.create(datasetId, plan);
      const traced = await this.lab.stepInDetail(this.run!);
      this.adopt(traced.status);
      this.stepTrace = traced;
    });
    this.refreshSnapshot();
  }

  async stop(): Promise<void> {
    await this.command(async () => this.adopt(await this.lab.stop(this.run!)));
    this.afterEnd();
  }

  async setLearningRate(rate: number): Promise<void> {
    if (!this.live || this.state === 'training') return;
    await this.command(async () => this.adopt(await this.lab.setLearningRate(this.run!, rate)));
    // The change is a mark on the loss chart, which reads it from the run's record.
    await this.loadRecord();
  }

  /** Trains on from the last good epoch, after a rollback, at a lower learning rate. */
  async continueAfterDivergence(rate: number): Promise<void> {
    await this.command(async () => this.adopt(await this.lab.continueAfterDivergence(this.run!, rate)));
    await this.loadRecord();
  }

  /** Clears the bench for a new run with the same settings; a live session is stopped (and kept in Runs). */
  async reset(): Promise<void> {
    if (this.live && this.run && LIVE_STATES.has(this.state)) {
      await this.command(async () => { await this.lab.stop(this.run!); });
    }
    this.clear();
  }

  clear(): void {
    this.run = null;
    this.name = '';
    this.state = 'idle';
    this.live = false;
    this.progress = null;
    this.error = null;
    this.message = '';
    this.warnings = [];
    this.record = null;
    this.snapshot = null;
    this.evaluation = null;
    this.evaluationError = null;
    this.evaluated = null;
    this.stepTrace = null;
    this.metrics.clear();
    this.pollSnapshots();
    this.settleWaiters();
  }

  /** Takes over a session the lab reports (after a reload, or a resumed run), with its curves so far. */
  attach(info: SessionInfo): void {
    if (info.run !== this.run) {
      this.clear();
      this.run = info.run;
      this.metrics.addEpochs(info.epochs);
      void this.loadRecord();
    }
    this.adopt(info);
    this.refreshSnapshot();
  }

  /** Opens a stored run (not training) to look at its curves, weights and results. */
  async open(id: string): Promise<void> {
    this.clear();
    this.run = id;
    this.busy = true;
    try {
      const { run, metrics } = await this.lab.getRun(id);
      if (this.run !== id) return;
      this.record = run;
      this.name = run.name;
      this.state = run.status;
      this.message = run.summary.message;
      this.warnings = run.warnings;
      this.metrics.addEpochs(metrics);
      this.progress = progressOf(run);
      if (ENDED_STATES.has(run.status)) this.afterEnd();
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  async resumeStored(id: string): Promise<void> {
    await this.command(async () => {
      const info = await this.lab.resumeRun(id);
      // The run continues from its last checkpoint: its curves are redrawn from the stored epochs.
      this.clear();
      this.attach(info);
    });
  }

  handle(event: LabEvent): void {
    if (event.type === 'runs-changed' || event.run !== this.run) return;
    this.handleRunEvent(event);
    this.settleWaiters();
  }

  private settleWaiters(): void {
    if (this.endWaiters.length > 0) this.endWaiters = this.endWaiters.filter((check) => !check());
  }

  private handleRunEvent(event: Exclude<LabEvent, { type: 'runs-changed' }>): void {
    switch (event.type) {
      case 'progress': {
        // Events and replies travel separately: only a report of a later step may change the state.
        const p = event.progress;
        if (p.state === 'rolled-back' && this.state !== 'rolled-back') {
          this.rolledBack(p);
          break;
        }
        if (!this.progress || p.step > this.progress.step) {
          this.progress = p;
          if (LIVE_STATES.has(p.state)) this.state = p.state;
        }
        this.metrics.addBatches(p.batchSteps, p.batchLosses);
        break;
      }
      case 'epochs':
        this.metrics.addEpochs(event.metrics);
        break;
      case 'done':
        this.state = event.status === 'interrupted' ? 'stopped' : event.status;
        this.message = event.message;
        this.live = false;
        this.afterEnd();
        break;
      case 'ended':
        this.state = 'failed';
        this.live = false;
        this.error = event.message;
        this.pollSnapshots();
        break;
      case 'warning':
        this.warnings = [...this.warnings, event.message];
        break;
    }
  }

  /** Training went back to an earlier step: the curves lose what was undone, and the record gains the rollback. */
  private rolledBack(progress: Progress): void {
    this.progress = progress;
    this.state = progress.state;
    this.metrics.get('batchLoss').truncateFrom(progress.step + 1);
    this.metrics.changed();
    this.pollSnapshots();
    this.refreshSnapshot();
    void this.loadRecord();
  }

  /** Components that show weights call this while they are on screen; snapshots are fetched only then. */
  watchSnapshots(): () => void {
    this.snapshotWatchers++;
    this.pollSnapshots();
    if (!this.snapshot) this.refreshSnapshot();
    return () => {
      this.snapshotWatchers--;
      this.pollSnapshots();
    };
  }

  refreshSnapshot(): void {
    const run = this.run;
    if (!run || this.snapshotPending || this.snapshotWatchers === 0) return;
    if (!this.live && !ENDED_STATES.has(this.state)) return;
    this.snapshotPending = true;
    this.lab.snapshot(run)
      .then((layers) => { if (this.run === run) this.snapshot = layers; })
      .catch(() => { /* the run ended between two polls; the next state change fetches again */ })
      .finally(() => { this.snapshotPending = false; });
  }

  private pollSnapshots(): void {
    const wanted = this.snapshotWatchers > 0 && this.live && this.state === 'training';
    if (wanted && !this.snapshotTimer) this.snapshotTimer = setInterval(() => this.refreshSnapshot(), SNAPSHOT_EVERY_MS);
    if (!wanted && this.snapshotTimer) {
      clearInterval(this.snapshotTimer);
      this.snapshotTimer = null;
    }
  }

  private async create(datasetId: string | null, { roles, settings }: RunPlan): Promise<void> {
    if (!datasetId) throw new Error('Open a dataset first: drop a CSV file on the window, or pick an example.');
    if (this.run !== null) this.clear();
    this.state = 'loading';
    const info = await this.lab.createSession(datasetId, roles, settings);
    this.attach(info);
  }

  private adopt(info: SessionStatus): void {
    this.run = info.run;
    this.name = info.name;
    this.state = info.state;
    this.live = LIVE_STATES.has(info.state);
    if (info.progress) {
      this.progress = info.progress;
      this.metrics.addBatches(info.progress.batchSteps, info.progress.batchLosses);
    }
    this.warnings = info.warnings;
    if (!this.record) void this.loadRecord();
    this.pollSnapshots();
    this.settleWaiters();
  }

  private async command(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await action();
    } catch (error) {
      this.error = errorMessage(error);
      if (this.state === 'loading') this.state = this.run ? this.state : 'idle';
    } finally {
      this.busy = false;
    }
  }

  private async loadRecord(): Promise<void> {
    const run = this.run;
    if (!run) return;
    try {
      const { run: record } = await this.lab.getRun(run);
      if (this.run !== run) return;
      this.record = record;
      // A run that ended by itself says where it ended in its record, not in a last progress message.
      const p = this.progress;
      if (p && ENDED_STATES.has(this.state) && record.summary.steps > p.step) {
        this.progress = { ...p, state: this.state as Progress['state'], epoch: record.summary.epochs, step: record.summary.steps };
      }
    } catch {
      // Shown elsewhere; the record only adds the decision boundary's scaling.
    }
  }

  private afterEnd(): void {
    this.pollSnapshots();
    const run = this.run;
    if (!run || this.evaluated === run) return;
    this.evaluated = run;
    void this.loadRecord();
    this.refreshSnapshot();
    this.evaluationError = null;
    this.lab.evaluateRun(run)
      .then((evaluation) => { if (this.run === run) this.evaluation = evaluation; })
      .catch((error: unknown) => { if (this.run === run) this.evaluationError = errorMessage(error); });
  }
}

/** What a stored run's record says of where it ended, in the shape of a progress report. */
function progressOf(run: RunRecord): Progress {
  const s = run.summary;
  return {
    state: (ENDED_STATES.has(run.status) ? run.status : 'stopped') as Progress['state'],
    epoch: s.epochs,
    epochs: run.training.epochs,
    step: s.steps,
    stepsPerEpoch: 0,
    samplesPerSecond: s.samplesPerSecond ?? 0,
    batchSteps: new Float64Array(0),
    batchLosses: new Float64Array(0),
    loss: s.train?.loss ?? null,
    valLoss: s.val?.loss ?? null,
    learningRate: run.training.learningRate,
  };
}
