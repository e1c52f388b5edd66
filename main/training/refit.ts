import type { PreparedDataset } from '../../engine/data/dataset';
import { joinSplits, ratesOfEpochs } from '../../engine/refit';
import { Trainer } from '../../engine/trainer';
import { trainInSlices } from './slices';

/** A first fit refitted on its training and validation rows together. */
export interface Refit {
  trainer: Trainer;
  /** The refit's epochs, and the first fit's that it matches in updates. */
  epochs: number;
  firstEpochs: number;
  rows: number;
}

/** Whether a run asks for a refit that has rows to add: its validation rows. */
export function wantsRefit(refit: boolean | undefined, data: PreparedDataset): boolean {
  return refit === true && data.val.rows > 0;
}

/**
 * Why a run that asks for a refit keeps its first fit instead, or null when it is refitted. Only a run with
 * test rows is: without them, the validation rows are all that is left to judge the model by.
 */
export function refitSkipped(first: Trainer, data: PreparedDataset, stopped: boolean): string | null {
  if (stopped || first.status === 'diverged' || !first.done) return 'It was not refitted on the validation rows: training did not run to its end.';
  if (!data.test || data.test.rows === 0) {
    return 'It was not refitted on the validation rows: with no test rows, they are the only rows left to judge it by.';
  }
  return null;
}

/**
 * Trains a fresh network of the first fit's shape, seed and settings on the training and validation rows together,
 * for as many mini-batches as the first fit took to reach the weights it kept (the epoch early stopping chose), in
 * fewer, longer epochs, each at the learning rate the first fit had at that point. The same number of updates
 * rather than of epochs: more rows an epoch would otherwise mean more updates than the first fit found best, which
 * overfits the tables that overfit soonest. Nothing is held out, so nothing stops it early. Null when
 * `stopRequested` turns true between slices.
 */
export async function refitOnAllRows(first: Trainer, data: PreparedDataset, stopRequested: () => boolean): Promise<Refit | null> {
  const kept = first.keptEpoch;
  const train = joinSplits(data.train, data.val);
  const epochs = Math.max(1, Math.round((kept * data.train.rows) / train.rows));
  const firstRates = ratesOfEpochs(first.history, kept);
  // Refit epoch e covers the same share of training as the first fit's epochs around e × kept / epochs.
  const rates = Array.from({ length: epochs }, (_, e) => firstRates[Math.min(kept - 1, Math.floor(((e + 0.5) * kept) / epochs))]!);
  const config = { ...first.config, epochs, earlyStopPatience: null, rates };
  const trainer = new Trainer(first.network.spec, { train, metric: first.data.metric }, config, { precision: first.network.precision, kernels: first.kernelSet });
  return (await trainInSlices(trainer, stopRequested)) ? { trainer, epochs, firstEpochs: kept, rows: train.rows } : null;
}
