import { describe, expect, it } from 'vitest';
import { activationStats } from '../../engine/activation-stats';
import { activation } from '../../engine/activations';

describe('activationStats: each unit of a layer on one mini-batch', () => {
  it('gives the mean, mean |a|, min, max and active share of each column of a ReLU layer', () => {
    // 4 rows × 3 units: unit 1 is dead, unit 2 fires on two rows, unit 3 on every row.
    const z = Float32Array.from([-1, 2, 0.5, -2, -1, 1.5, -0.5, 3, 2.5, -3, -4, 0.5]);
    const a = new Float32Array(z.length);
    activation('relu').forward(z, a, 4, 3);
    const stats = activationStats(a, z, 4, 3);
    expect(stats.rows).toBe(4);
    expect(Array.from(stats.mean)).toEqual([0, 1.25, 1.25]);
    expect(Array.from(stats.meanAbs)).toEqual([0, 1.25, 1.25]);
    expect(Array.from(stats.min)).toEqual([0, 0, 0.5]);
    expect(Array.from(stats.max)).toEqual([0, 3, 2.5]);
    expect(Array.from(stats.active)).toEqual([0, 0.5, 1]);
  });

  it('tells the mean from the mean magnitude when a tanh unit swings both ways', () => {
    const z = Float64Array.from([1, -1]);
    const a = new Float64Array(2);
    activation('tanh').forward(z, a, 2, 1);
    const stats = activationStats(a, z, 2, 1);
    expect(stats.mean[0]).toBeCloseTo(0, 12);
    expect(stats.meanAbs[0]).toBeCloseTo(Math.tanh(1), 12);
    expect(stats.min[0]).toBeCloseTo(-Math.tanh(1), 12);
    expect(stats.active[0]).toBe(0.5);
  });

  it('reads only the batch rows of a larger buffer', () => {
    const buffer = Float32Array.from([1, 2, 100, 100]);
    const stats = activationStats(buffer, buffer, 1, 2);
    expect(Array.from(stats.max)).toEqual([1, 2]);
  });

  it('refuses an empty batch in a sentence', () => {
    expect(() => activationStats([], [], 0, 2)).toThrow('Activation statistics need at least one row.');
  });
});
