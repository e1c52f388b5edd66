import { describe, expect, it } from 'vitest';
import type { SnapshotLayer } from '../../common/lab-api';
import { linkReading, nodeReading, unitsShown } from '../../renderer/src/lib/diagram-reading';

// 2 inputs → 4 ReLU units → 1 output; weights inputs × units, row-major.
const hidden: SnapshotLayer = { inputs: 2, units: 4, activation: 'relu', weights: [0.1, -3, 0, 1, 0.2, 0, 0, -1], bias: [0.05, 0, 0, 0] };
const output: SnapshotLayer = { inputs: 4, units: 1, activation: 'sigmoid', weights: [0, 0, 5, 0], bias: [0] };

describe('what the network diagram reads out and draws', () => {
  it('names a link by its two ends and its weight', () => {
    expect(linkReading(hidden, 1, 0, 0, 3)).toBe('Weight from input 2 to hidden 1.1: 0.2');
    expect(linkReading(output, 2, 0, 1, 3)).toBe('Weight from hidden 1.3 to output 1: 5');
  });

  it('reads a node’s bias and its statistics on the last mini-batch, or says they are absent', () => {
    expect(nodeReading(1, 0, 3, hidden)).toBe('Hidden layer 1 unit 1, bias 0.05, no activation statistics: they are measured while the run trains');
    const stats = { rows: 8, mean: [0.5, 0, 0, 0], meanAbs: [0.5, 0, 0, 0], min: [0, 0, 0, 0], max: [2, 0, 0, 0], active: [0.25, 0, 0, 0] };
    expect(nodeReading(1, 0, 3, { ...hidden, stats })).toBe('Hidden layer 1 unit 1, bias 0.05, mean activation 0.5 on the last mini-batch of 8 rows, non-zero on 25.0 % of it, min 0, max 2');
    expect(nodeReading(0, 1, 3, null, 'x2')).toBe('Input 2 (x2)');
  });

  it('keeps the most active units of a wide layer, else those with the largest weights in and out', () => {
    const stats = { rows: 8, mean: [0, 0, 0, 0], meanAbs: [0.1, 0.9, 0.5, 0.2], min: [0, 0, 0, 0], max: [0, 0, 0, 0], active: [0, 0, 0, 0] };
    expect(unitsShown(4, 2, { ...hidden, stats }, output)).toEqual([1, 2]);
    // |in| + |out|: unit 1: 0.3, unit 2: 3, unit 3: 5, unit 4: 2.
    expect(unitsShown(4, 2, hidden, output)).toEqual([1, 2]);
    expect(unitsShown(4, 4, hidden, output)).toEqual([0, 1, 2, 3]);
    expect(unitsShown(4, 2, null, null)).toEqual([0, 1]);
  });
});
