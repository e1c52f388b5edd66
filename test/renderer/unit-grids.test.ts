import { describe, expect, it } from 'vitest';
import type { Preprocessing } from '../../engine/data/preprocessing';
import type { SnapshotLayer } from '../../common/lab-api';
import { columnsPlane, predictGrid } from '../../renderer/src/lib/boundary';
import { shades, unitGrids } from '../../renderer/src/lib/unit-grids';

const preprocessing: Preprocessing = {
  features: [
    { kind: 'numeric', column: 'a', mean: 1, std: 2, impute: 1 },
    { kind: 'numeric', column: 'b', mean: 0, std: 1, impute: 0 },
  ],
  target: { kind: 'classes', column: 'y', classes: ['no', 'yes'] },
  missingMarkers: [],
  missingPolicy: 'drop',
};

// 2 → 2 (ReLU) → 2 (tanh) → 1 (sigmoid); weights inputs × units, row-major.
const layers: SnapshotLayer[] = [
  { inputs: 2, units: 2, activation: 'relu', weights: [1, -1, 2, 0.5], bias: [0.5, 0] },
  { inputs: 2, units: 2, activation: 'tanh', weights: [0.3, -0.2, 0.1, 0.4], bias: null },
  { inputs: 2, units: 1, activation: 'sigmoid', weights: [1, 1], bias: [0] },
];

describe('unitGrids: each hidden unit over the input plane', () => {
  it('gives every hidden unit the values of a forward pass done by hand, in the boundary’s grid order', () => {
    // A 2 × 2 grid over a ∈ [−1, 3], b ∈ [−2, 2]: cell centres a ∈ {0, 2}, b ∈ {1, −1} (top row first).
    const grids = unitGrids(layers, columnsPlane(preprocessing), 2, { min: -1, max: 3 }, { min: -2, max: 2 }, 2);
    expect(grids.map((layer) => layer.length)).toEqual([2, 2]);
    const cells = [[0, 1], [2, 1], [0, -1], [2, -1]].map(([a, b]) => [(a! - 1) / 2, b!]);
    cells.forEach(([s, t], r) => {
      const h1 = Math.max(0, 0.5 + s! * 1 + t! * 2);
      const h2 = Math.max(0, 0 + s! * -1 + t! * 0.5);
      expect(grids[0]![0]![r]).toBeCloseTo(h1, 6);
      expect(grids[0]![1]![r]).toBeCloseTo(h2, 6);
      expect(grids[1]![0]![r]).toBeCloseTo(Math.tanh(h1 * 0.3 + h2 * 0.1), 6);
      expect(grids[1]![1]![r]).toBeCloseTo(Math.tanh(h1 * -0.2 + h2 * 0.4), 6);
    });
    // Spot values: the top-left cell (a = 0, b = 1) is s = −0.5, t = 1.
    expect(grids[0]![0]![0]).toBeCloseTo(2, 6);
    expect(grids[0]![1]![0]).toBeCloseTo(1, 6);
  });

  it('agrees with the decision boundary’s grid, which goes on to the output', () => {
    const x = { min: -3, max: 5 };
    const y = { min: -2, max: 2 };
    const grids = unitGrids(layers, columnsPlane(preprocessing), 2, x, y, 5);
    const { values } = predictGrid(layers, columnsPlane(preprocessing), 2, x, y, 5);
    for (let r = 0; r < 25; r++) {
      expect(values[r]).toBeCloseTo(1 / (1 + Math.exp(-(grids[1]![0]![r]! + grids[1]![1]![r]!))), 6);
    }
  });

  it('shades a grid over its own range, and a flat one evenly', () => {
    expect(Array.from(shades(Float32Array.from([2, 4, 3])))).toEqual([0, 1, 0.5]);
    expect(Array.from(shades(Float32Array.from([0, 0])))).toEqual([0.5, 0.5]);
  });
});
