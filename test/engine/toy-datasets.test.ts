import { describe, expect, it } from 'vitest';
import { TOY_DATASETS, toyCsv, toyDataset } from '../../engine/data/toy-datasets';

describe('2-D example datasets', () => {
  it.each(TOY_DATASETS)('%s: the same seed and noise give the same points, classes interleaved and balanced', (name) => {
    const a = toyDataset(name, { noise: 0.2 });
    expect(toyDataset(name, { noise: 0.2 })).toEqual(a);
    expect(toyDataset(name, { noise: 0.2, seed: 2 })).not.toEqual(a);
    expect(a).toHaveLength(400);
    const labels = [...new Set(a.map((p) => p.label))];
    expect(labels.length).toBe(name === 'blobs' ? 3 : 2);
    // Any prefix of the rows shows every class.
    expect(new Set(a.slice(0, labels.length).map((p) => p.label)).size).toBe(labels.length);
    for (const label of labels) expect(a.filter((p) => p.label === label).length).toBeGreaterThanOrEqual(Math.floor(400 / labels.length));
    expect(a.every((p) => Number.isFinite(p.x1) && Number.isFinite(p.x2))).toBe(true);
  });

  it('blurs more with more noise', () => {
    const spread = (noise: number) => {
      const points = toyDataset('circles', { noise, points: 2000 }).filter((p) => p.label === 'inner');
      return Math.max(...points.map((p) => Math.hypot(p.x1, p.x2)));
    };
    expect(spread(0)).toBeLessThanOrEqual(2.5 + 1e-9);
    expect(spread(0.5)).toBeGreaterThan(spread(0));
  });

  it('writes x1, x2 and label as CSV', () => {
    const csv = toyCsv(toyDataset('xor-clusters', { points: 4, noise: 0 }));
    expect(csv.split('\n')[0]).toBe('x1,x2,label');
    expect(csv.trim().split('\n')).toHaveLength(5);
  });
});
