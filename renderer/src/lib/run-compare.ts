import type { LossName } from '../../../engine/losses';
import { LOSS_LABELS } from './settings';

/** What the compare chart's x axis counts. */
export const X_AXES = { epochs: 'Epochs', fraction: 'Fraction of training', log: 'Epochs (log)' } as const;
export type XAxis = keyof typeof X_AXES;

/** Where an epoch goes on the x axis: a fraction of the run's own last epoch puts a short and a long run side by side. */
export function xOf(mode: XAxis, epoch: number, lastEpoch: number): number {
  return mode === 'fraction' ? epoch / (lastEpoch || 1) : epoch;
}

/** Losses on one scale: the two cross-entropies are both nats per row; a sum of squares grows with the rows. */
function lossKind(loss: LossName): string {
  return loss === 'bce' || loss === 'softmax_ce' ? 'cross-entropy' : LOSS_LABELS[loss];
}

/** How the chart draws the runs' losses: on one axis, one axis per kind (two kinds), or divided by each run's first epoch's. */
export interface LossLayout {
  mode: 'shared' | 'separate' | 'normalised';
  /** Each run's axis, in the order of the runs. */
  axes: ('y' | 'y2')[];
  yTitle: string;
  y2Title: string;
  /** Said under the chart when the losses are not drawn as they are on one axis. */
  note: string | null;
}

export function lossLayout(losses: readonly LossName[]): LossLayout {
  const kinds = [...new Set(losses.map(lossKind))];
  if (kinds.length <= 1) return { mode: 'shared', axes: losses.map(() => 'y'), yTitle: kinds[0] ? `loss (${kinds[0]})` : 'loss', y2Title: '', note: null };
  if (kinds.length === 2) {
    const [left, right] = kinds as [string, string];
    return {
      mode: 'separate',
      axes: losses.map((l) => (lossKind(l) === left ? 'y' : 'y2')),
      yTitle: `loss (${left})`,
      y2Title: `loss (${right})`,
      note: `Losses of different kinds are drawn on separate axes: ${left} (left), ${right} (right).`,
    };
  }
  return {
    mode: 'normalised',
    axes: losses.map(() => 'y'),
    yTitle: 'loss ÷ first epoch’s loss',
    y2Title: '',
    note: `Losses of ${kinds.length} kinds (${kinds.join(', ')}) cannot share an axis as they are: each run's loss is divided by its first epoch's, so every curve starts at 1.`,
  };
}
