import { EpochCheckpoints, type EpochCheckpoint } from '../store/epoch-checkpoints';
import type { RunStore } from '../store/run-store';
import type { ActiveRun } from './run-setup';

/**
 * Collects a training run's epoch checkpoints as epochs end and hands them to the store between slices: the
 * state is taken at the moment an epoch ends (the next step changes it), the files are written later.
 */
export class EpochTimeline {
  readonly checkpoints: EpochCheckpoints;
  /** Epochs that are multiples of this are taken; the store doubles it as the run grows. */
  private stride = 1;
  private pending: EpochCheckpoint[] = [];
  private lastTaken = 0;
  private prepared: Promise<void> | null = null;
  private readonly startEpoch: number;

  constructor(store: RunStore, private readonly run: ActiveRun) {
    this.checkpoints = new EpochCheckpoints(store.runDir(run.record.id), run.record.id);
    this.startEpoch = run.trainer.epoch;
  }

  /** Called right after a step that ended an epoch. */
  epochEnded(): void {
    if (this.run.trainer.epoch % this.stride === 0) this.take();
  }

  /** Takes the latest epoch too, when training stands at its end (a pause or a stop between epochs, the run's end). */
  keepLatest(): void {
    const { trainer } = this.run;
    if (trainer.positionEpoch === trainer.epoch) this.take();
  }

  async flush(): Promise<void> {
    // A resumed run trains again the epochs after its checkpoint: their old states go first.
    this.prepared ??= (async () => {
      await this.checkpoints.dropAfter(this.startEpoch);
      this.stride = Math.max(this.stride, await this.checkpoints.stride());
    })();
    await this.prepared;
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    this.stride = await this.checkpoints.save(pending);
  }

  private take(): void {
    const { trainer, record } = this.run;
    const metrics = trainer.history.at(-1);
    // Weights after a divergence or an early stop are not the weights the epoch ended with.
    if (trainer.status === 'diverged' || trainer.status === 'early_stopped') return;
    if (!metrics || metrics.epoch !== trainer.epoch || metrics.epoch <= this.lastTaken) return;
    const state = trainer.exportState();
    this.pending.push({ metrics, optimizerName: record.training.optimizer.name, parameters: state.parameters, optimizer: state.optimizer });
    this.lastTaken = metrics.epoch;
  }
}
