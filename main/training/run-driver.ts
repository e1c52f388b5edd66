import { modelFromNetwork } from '../../engine/model';
import type { Network } from '../../engine/network';
import type { Split, SplitMetrics } from '../../engine/metrics';
import { evaluateReport } from '../../engine/metrics-report';
import { StepOutcome, type EpochMetrics, type Trainer } from '../../engine/trainer';
import type { StepWatcher } from '../../engine/step-watcher';
import { withFiniteNumbers } from '../../common/json-numbers';
import { saveCheckpoint } from '../store/checkpoint';
import { EpochTimeline } from './epoch-timeline';
import type { RunRecord, RunStatus } from '../../common/run-record';
import type { RunStore } from '../store/run-store';
import { metricKind, type ActiveRun } from './run-setup';
import { runBaselines } from './baselines';
import { refitOnAllRows, refitSkipped, wantsRefit, type Refit } from './refit';
import { LastGoodState } from './rollback';
import { RunHealth } from './run-health';
import type { TrainingHealth } from '../../engine/health';

/** How often a run that is training writes a checkpoint, besides on pause, stop and end. */
const CHECKPOINT_EVERY_MS = 30_000;

/**
 * Trains an active run in bounded slices and keeps its folder up to date: metrics appended as epochs end,
 * checkpoints, and at the end the model and the summary.
 */
export class RunDriver {
  /** Steps and losses of mini-batches since the last call to takeBatchLosses(). */
  private batchSteps: number[] = [];
  private batchLosses: number[] = [];
  /** The last epoch written to the log. */
  private flushedEpoch: number;
  /** The trainer's thinnings the log has followed. */
  private thinned = 0;
  private trainingMs = 0;
  private lastCheckpoint = performance.now();
  private samplesAtStart: number;
  private readonly lastGood: LastGoodState;
  /** What the divergence guard said, while the run waits at its last good epoch after a rollback; null otherwise. */
  divergence: string | null = null;
  readonly health: RunHealth;
  /** The epochs kept on disk for the run's checkpoint timeline. */
  readonly timeline: EpochTimeline;

  constructor(readonly run: ActiveRun, readonly store: RunStore) {
    this.health = new RunHealth(run);
    this.flushedEpoch = run.trainer.history.at(-1)?.epoch ?? 0;
    this.samplesAtStart = run.trainer.samples;
    this.lastGood = new LastGoodState(run.trainer);
    this.timeline = new EpochTimeline(store, run);
  }

  get id(): string {
    return this.run.record.id;
  }

  get trainer() {
    return this.run.trainer;
  }

  /** Samples per second over the time spent training in this process. */
  get samplesPerSecond(): number {
    return this.trainingMs > 0 ? ((this.trainer.samples - this.samplesAtStart) * 1000) / this.trainingMs : 0;
  }

  /** Trains for at most `maxMs` or `maxSteps` mini-batches, whichever comes first; returns the steps done. */
  advance(maxMs: number, maxSteps = Infinity, watch?: StepWatcher): number {
    const started = performance.now();
    const deadline = started + maxMs;
    let done = 0;
    while (done < maxSteps && !this.trainer.done) {
      const epoch = this.trainer.epoch;
      const outcome = this.trainer.step(watch);
      done++;
      if (this.trainer.epoch > epoch) this.timeline.epochEnded();
      this.batchSteps.push(this.trainer.steps);
      this.batchLosses.push(this.trainer.lastBatchLoss);
      if (outcome === StepOutcome.EpochEnded) this.lastGood.keep(this.trainer);
      if (outcome === StepOutcome.Done) break;
      // Reading the clock every step would cost more than a small network's step; every 16th is enough.
      if ((done & 15) === 0 && performance.now() >= deadline) break;
    }
    this.trainingMs += performance.now() - started;
    return done;
  }

  /** Batch losses since the last call, thinned evenly to at most `limit` points. */
  takeBatchLosses(limit = 256): { steps: Float64Array<ArrayBuffer>; losses: Float64Array<ArrayBuffer> } {
    const n = this.batchSteps.length;
    const stride = Math.max(1, Math.ceil(n / limit));
    const count = Math.ceil(n / stride);
    const steps = new Float64Array(count);
    const losses = new Float64Array(count);
    for (let i = 0, j = 0; i < n; i += stride, j++) {
      steps[j] = this.batchSteps[i]!;
      losses[j] = this.batchLosses[i]!;
    }
    this.batchSteps = [];
    this.batchLosses = [];
    return { steps, losses };
  }

  /** Epochs ended since the last call, after appending them to the run's metrics log. */
  async flushEpochs(): Promise<EpochMetrics[]> {
    const history = this.trainer.history;
    let first = history.length;
    while (first > 0 && history[first - 1]!.epoch > this.flushedEpoch) first--;
    const fresh = history.slice(first);
    if (this.trainer.historyThinned !== this.thinned) {
      // The trainer thinned its older epochs: the log is written again to match, so a checkpoint's count of
      // epochs still names its lines. The epochs not yet flushed are the newest, which thinning keeps whole.
      await this.store.writeMetrics(this.id, history);
      this.thinned = this.trainer.historyThinned;
    } else if (fresh.length > 0) {
      await this.store.appendMetrics(this.id, fresh);
    }
    this.flushedEpoch = history.at(-1)?.epoch ?? this.flushedEpoch;
    await this.timeline.flush();
    return fresh;
  }

  checkpointDue(): boolean {
    return performance.now() - this.lastCheckpoint >= CHECKPOINT_EVERY_MS;
  }

  async checkpoint(status?: RunStatus): Promise<void> {
    this.timeline.keepLatest();
    await this.flushEpochs();
    await this.store.syncMetrics(this.id);
    await saveCheckpoint(this.store.runDir(this.id), this.trainer.exportState());
    this.lastCheckpoint = performance.now();
    if (status) await this.setStatus(status);
  }

  /**
   * After a divergence, takes the run back to the end of its last good epoch, saves that as its checkpoint and
   * records the event in run.json; false when there is no good epoch to go back to.
   */
  async rollBack(): Promise<boolean> {
    const event = this.lastGood.rollBack(this.trainer);
    if (!event) return false;
    this.divergence = event.message;
    // The losses of the steps undone are not part of the run any more.
    const kept = this.batchSteps.findIndex((step) => step > event.toStep);
    if (kept >= 0) {
      this.batchSteps.length = kept;
      this.batchLosses.length = kept;
    }
    await this.checkpoint('paused');
    this.run.record = await this.store.update(this.id, (r) => ({ ...r, events: [...(r.events ?? []), event] }));
    return true;
  }

  /** The refit the run asks for, or why there is none (the note is empty when none was asked for). */
  private async refit(stopped: boolean, stopRequested: () => boolean): Promise<{ refit: Refit | null; refitNote: string }> {
    const { trainer, data, record } = this.run;
    if (!wantsRefit(record.request.settings.refit, data)) return { refit: null, refitNote: '' };
    const skipped = refitSkipped(trainer, data, stopped);
    if (skipped) return { refit: null, refitNote: skipped };
    const refit = await refitOnAllRows(trainer, data, stopRequested);
    if (!refit) return { refit: null, refitNote: 'It was not refitted on the validation rows: training was stopped during the refit.' };
    return {
      refit,
      refitNote: `Refitted on all ${refit.rows} training and validation rows for ${refit.epochs} epochs, as many updates as the ${refit.firstEpochs} epochs of the first fit's kept weights; the validation scores are the first fit's, measured before those rows were trained on.`,
    };
  }

  private async setStatus(status: RunStatus): Promise<void> {
    this.run.record = await this.store.update(this.id, (r) => ({ ...r, status }));
  }

  async recordSettingChange(setting: string, from: unknown, to: unknown): Promise<void> {
    const step = this.trainer.steps;
    this.run.record = await this.store.update(this.id, (r) => ({ ...r, settingChanges: [...r.settingChanges, { step, setting, from, to }] }));
  }

  /**
   * Evaluates the final weights and the baselines, saves the model and a last checkpoint, and closes the run
   * with a status. `stopRequested` is asked between slices of the baselines' training, which it cuts short.
   */
  async finish(stopped: boolean, stopRequested: () => boolean = () => false): Promise<{ record: RunRecord; modelPath: string }> {
    const { trainer, data } = this.run;
    await this.checkpoint();
    // A run stopped while it waits after a rollback ends as what it is: diverged, with its last good weights.
    const diverged = this.divergence;
    const status: RunStatus = diverged ? 'diverged' : stopped ? 'stopped' : trainer.status === 'diverged' ? 'diverged' : trainer.done ? 'finished' : 'stopped';
    const { refit, refitNote } = await this.refit(stopped || diverged !== null, stopRequested);
    const final = refit?.trainer.network ?? trainer.network;
    // The full report (per class, MAE) is made once here rather than at every epoch's validation.
    const target = data.preprocessing.target;
    const classes = target.kind === 'classes' ? target.classes : null;
    const report = (network: Network, split: Split): SplitMetrics => evaluateReport(network, split, metricKind(data), classes);
    const evaluate = (split: Split | null): SplitMetrics | null => (split && split.rows > 0 ? report(final, split) : null);
    // A refitted model has trained on the validation rows: their score is the first fit's, made before it did.
    const val = data.val.rows > 0 ? report(trainer.network, data.val) : null;
    const network = { train: report(final, data.train), val, test: evaluate(data.test) };
    const baselines = await runBaselines(this.run, network, stopRequested, refit !== null);
    const previous = this.run.record.summary;
    const seconds = (previous.seconds ?? 0) + this.trainingMs / 1000;
    const summary = {
      // The number of the last epoch logged: a long run's history is thinned, so not its length.
      epochs: trainer.history.at(-1)?.epoch ?? 0,
      steps: trainer.steps,
      ...network,
      samplesPerSecond: this.samplesPerSecond || null,
      seconds,
      peakMemoryMb: process.resourceUsage().maxRSS / 1024,
      // A run on too little data says so where it ends, not only among the warnings it started with.
      message: [diverged ?? (stopped ? stoppedAt(trainer) : trainer.message), refitNote, data.caution].filter(Boolean).join(' '),
      baselines,
      refit: refit ? { epochs: refit.epochs, rows: refit.rows } : null,
      ...healthOf(this.health),
    };
    const model = modelFromNetwork(final, data.preprocessing);
    const { classWeights } = trainer.config;
    const facts = {
      run: this.id, epochs: summary.epochs, dataset: this.run.record.dataset.path,
      ...(classWeights ? { classWeights } : {}), ...(refit ? { refit: summary.refit } : {}),
    };
    const modelPath = await this.store.saveModel(this.id, model, facts);
    this.run.record = await this.store.update(this.id, (r) => ({ ...r, status, pid: null, summary: withFiniteNumbers(summary) }));
    return { record: this.run.record, modelPath };
  }
}

/** Where a stopped run stopped, counted as the status line counts (the epoch of the last step, the steps done). */
function stoppedAt(trainer: Trainer): string {
  return trainer.steps === 0 ? 'Stopped before the first step.' : `Stopped in epoch ${trainer.positionEpoch}, after step ${trainer.steps}.`;
}

/** The health of the run's final weights, for its summary. */
function healthOf(health: RunHealth): { health?: TrainingHealth } {
  const final = health.measure(true) ?? health.latest;
  return final ? { health: final } : {};
}
