/** Bins of every histogram the training health keeps: enough to see a shape, few enough to draw as a strip. */
export const HISTOGRAM_BINS = 20;

/** Counts of values in `counts.length` equal bins from `min` to `max` (the last bin includes `max`). */
export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

/**
 * The histogram of the first `count` values over their own range. Values that are not finite are left out:
 * a diverging run's histogram shows what is still a number. With one distinct value, every value falls in
 * the middle bin.
 */
export function histogram(values: ArrayLike<number>, bins = HISTOGRAM_BINS, count = values.length): Histogram {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (min > max) return { min: 0, max: 0, counts };
  const width = (max - min) / bins;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    const bin = width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : bins >> 1;
    counts[bin]!++;
  }
  return { min, max, counts };
}
