import type { Plane } from '../../../engine/boundary-plane';
import type { SnapshotLayer } from '../../../common/lab-api';
import { forwardLayers, planeInputs, type Range } from './boundary';

/**
 * What each hidden unit outputs over the input plane of a two-feature run, as TensorFlow Playground draws
 * inside its neurons (over any plane, as the decision boundary is drawn): grids[l][u] is n × n values of hidden layer l + 1's unit u + 1, in predictGrid's order
 * (row j = 0 at the top, x2 largest).
 */
export function unitGrids(layers: SnapshotLayer[], plane: Plane, width: number, x: Range, y: Range, n: number): Float32Array[][] {
  const rows = n * n;
  const activations = forwardLayers(layers, planeInputs(plane, width, x, y, n), rows);
  return activations.slice(0, -1).map((a, l) => {
    const units = layers[l]!.units;
    return Array.from({ length: units }, (_, u) => {
      const grid = new Float32Array(rows);
      for (let r = 0; r < rows; r++) grid[r] = a[r * units + u]!;
      return grid;
    });
  });
}

/** A grid's values as 0 to 1 over its own range (0.5 everywhere for a flat one), for a heatmap's shades. */
export function shades(grid: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of grid) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return grid.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0.5));
}
