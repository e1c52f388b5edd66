import type { EpochMetrics } from '../../../engine/trainer';
import { SeriesSet } from './series';

const KEYS = [
  // x = global step
  'batchLoss', 'trainLoss', 'valLoss',
  // x = epoch
  'trainAccuracy', 'valAccuracy', 'trainRmse', 'valRmse', 'trainR2', 'valR2',
] as const;
export type MetricKey = (typeof KEYS)[number];

/** Numbers that crossed JSON may be null where they were NaN. */
const num = (value: number | null | undefined): number => (typeof value === 'number' ? value : Number.NaN);

/** One run's curves: every mini-batch loss reported, and every epoch's metrics. */
export class TrainingMetrics extends SeriesSet<MetricKey> {
  /** The last epoch recorded. */
  epoch = 0;

  constructor() {
    super(KEYS);
  }

  /** A progress message's batch losses (ArrayLike: Float64Array over Electron, plain arrays over the WebSocket). */
  addBatches(steps: ArrayLike<number | null>, losses: ArrayLike<number | null>): void {
    const n = Math.min(steps.length, losses.length);
    if (n === 0) return;
    const series = this.get('batchLoss');
    let added = false;
    for (let i = 0; i < n; i++) {
      const step = num(steps[i]);
      // Replies and events may bring the same batches twice, or out of order: the curve only moves forward.
      if (!(step > series.lastX) && series.length > 0) continue;
      series.push(step, num(losses[i]));
      added = true;
    }
    if (added) this.changed();
  }

  addEpochs(metrics: EpochMetrics[]): void {
    if (metrics.length === 0) return;
    const first = metrics[0]!;
    if (first.epoch <= this.epoch) {
      // A resumed run trains again from its checkpoint: its curves continue from there.
      for (const key of ['trainLoss', 'valLoss'] as const) this.get(key).truncateFrom(first.step);
      for (const key of ['trainAccuracy', 'valAccuracy', 'trainRmse', 'valRmse', 'trainR2', 'valR2'] as const) this.get(key).truncateFrom(first.epoch);
    }
    for (const m of metrics) {
      this.get('trainLoss').push(m.step, num(m.train?.loss));
      if (m.val) this.get('valLoss').push(m.step, num(m.val.loss));
      if (m.train?.accuracy !== undefined) this.get('trainAccuracy').push(m.epoch, num(m.train.accuracy));
      if (m.val?.accuracy !== undefined) this.get('valAccuracy').push(m.epoch, num(m.val.accuracy));
      if (m.train?.rmse !== undefined) this.get('trainRmse').push(m.epoch, num(m.train.rmse));
      if (m.val?.rmse !== undefined) this.get('valRmse').push(m.epoch, num(m.val.rmse));
      if (m.train?.r2 !== undefined) this.get('trainR2').push(m.epoch, num(m.train.r2));
      if (m.val?.r2 !== undefined) this.get('valR2').push(m.epoch, num(m.val.r2));
      this.epoch = m.epoch;
    }
    this.changed();
  }

  override clear(): void {
    this.epoch = 0;
    super.clear();
  }

  get isRegression(): boolean {
    return this.get('trainRmse').length > 0;
  }
}
