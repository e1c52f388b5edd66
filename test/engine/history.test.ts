import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, thinHistory } from '../../engine/history';
import type { EpochMetrics } from '../../engine/trainer';

const epoch = (n: number, loss: number, val?: number): EpochMetrics => ({
  epoch: n, step: n * 4, learningRate: 0.1, train: { loss }, ...(val !== undefined ? { val: { loss: val } } : {}),
});

/** A long run's history: a slowly falling, wiggling loss, with its lowest dip and highest spike far back. */
function longHistory(epochs: number): EpochMetrics[] {
  return Array.from({ length: epochs }, (_, i) => {
    const n = i + 1;
    const loss = n === 1234 ? 0.001 : n === 777 ? 50 : 1 / Math.sqrt(n) + 0.05 * (1 + Math.sin(n));
    return epoch(n, loss, n === 4321 ? 0.0001 : loss * 1.1);
  });
}

describe('a long run’s history', () => {
  it('is left whole up to the limit', () => {
    const history = longHistory(HISTORY_LIMIT);
    expect(thinHistory(history)).toBe(false);
    expect(history).toHaveLength(HISTORY_LIMIT);
  });

  it('past it, keeps the recent epochs whole and, of the older, the first and the extremes, in order', () => {
    const history = longHistory(HISTORY_LIMIT + 1);
    expect(thinHistory(history)).toBe(true);
    expect(history.length).toBeLessThan(HISTORY_LIMIT * 0.6);
    const epochs = history.map((m) => m.epoch);
    expect(epochs.every((e, i) => i === 0 || e > epochs[i - 1]!)).toBe(true);
    expect(epochs.slice(-5000)).toEqual(Array.from({ length: 5000 }, (_, i) => HISTORY_LIMIT + 1 - 5000 + i + 1));
    for (const kept of [1, 777, 1234, 4321]) expect(epochs).toContain(kept);
  });

  it('stays bounded however long the run, thinned the same way every time', () => {
    const history: EpochMetrics[] = [];
    const again: EpochMetrics[] = [];
    for (const m of longHistory(120_000)) {
      history.push(m);
      thinHistory(history);
      again.push(m);
      thinHistory(again);
      expect(history.length).toBeLessThanOrEqual(HISTORY_LIMIT);
    }
    expect(again).toEqual(history);
    expect(history.at(-1)!.epoch).toBe(120_000);
    // The lowest and highest losses of the whole run, and the lowest validation loss, are never thinned away.
    for (const kept of [1, 777, 1234, 4321]) expect(history.map((m) => m.epoch)).toContain(kept);
  });
});
