/** What thinning reads of an epoch's metrics (engine/trainer.ts EpochMetrics). */
interface EpochLosses {
  epoch: number;
  train: { loss: number };
  val?: { loss: number };
}

/** Epochs a history holds one by one before its older part is thinned. */
export const HISTORY_LIMIT = 20_000;
/** The most recent epochs, always kept whole. */
const RECENT = 5_000;
/** Older epochs are thinned in groups of this many, each keeping at most four of them. */
const GROUP = 8;

/**
 * Keeps a long run's history bounded: once it is over HISTORY_LIMIT, each group of older epochs keeps its first,
 * its lowest and highest training loss and its lowest validation loss, in epoch order, and the recent epochs stay
 * whole. The curve keeps its shape, extremes included, and the same history is always thinned the same way, so
 * a resumed run matches one that never stopped. Returns whether it thinned.
 */
export function thinHistory<Epoch extends EpochLosses>(history: Epoch[]): boolean {
  if (history.length <= HISTORY_LIMIT) return false;
  const older = history.length - RECENT;
  const kept: Epoch[] = [];
  for (let start = 0; start < older; start += GROUP) {
    const group = history.slice(start, Math.min(start + GROUP, older));
    const chosen = new Set<Epoch>([group[0]!, extreme(group, (m) => m.train.loss, -1), extreme(group, (m) => m.train.loss, 1)]);
    if (group.some((m) => m.val)) chosen.add(extreme(group, (m) => m.val?.loss ?? Infinity, -1));
    kept.push(...group.filter((m) => chosen.has(m)));
  }
  history.splice(0, older, ...kept);
  return true;
}

/** The member with the lowest (sign −1) or highest (sign 1) value; the first of equals; NaN never wins. */
function extreme<Epoch extends object>(group: Epoch[], value: (m: Epoch) => number, sign: -1 | 1): Epoch {
  let best = group[0]!;
  for (const m of group) if (sign * value(m) > sign * value(best)) best = m;
  return best;
}
