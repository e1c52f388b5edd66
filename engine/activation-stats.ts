import type { Network } from './network';
import type { FloatArray } from './tensor';

/**
 * How each unit of a layer behaved on one mini-batch: what a person reads off a node of the network diagram
 * to see a unit that never fires (dead ReLU) or one stuck at its limit (saturated sigmoid or tanh).
 */
export interface UnitStats {
  /** Rows of the batch the figures are over. */
  rows: number;
  mean: Float64Array<ArrayBuffer>;
  /** Mean of |activation|: how much a unit says, whatever its sign; the diagram ranks wide layers by it. */
  meanAbs: Float64Array<ArrayBuffer>;
  min: Float64Array<ArrayBuffer>;
  max: Float64Array<ArrayBuffer>;
  /** Share of the rows (0 to 1) on which the unit's weighted sum is above 0: a ReLU's non-zero rows. */
  active: Float64Array<ArrayBuffer>;
}

/**
 * Per-unit figures of a rows × units activation matrix `a` and its pre-activation matrix `z` (row-major, as
 * the dense layer keeps them). Only the first rows × units values are read, so a layer's larger buffers serve.
 */
export function activationStats(a: ArrayLike<number>, z: ArrayLike<number>, rows: number, units: number): UnitStats {
  if (rows < 1) throw new Error('Activation statistics need at least one row.');
  if (a.length < rows * units || z.length < rows * units) throw new Error(`Activation statistics need ${rows} × ${units} values.`);
  const mean = new Float64Array(units);
  const meanAbs = new Float64Array(units);
  const min = new Float64Array(units).fill(Infinity);
  const max = new Float64Array(units).fill(-Infinity);
  const active = new Float64Array(units);
  for (let r = 0; r < rows; r++) {
    for (let u = 0, at = r * units; u < units; u++, at++) {
      const value = a[at]!;
      mean[u]! += value;
      meanAbs[u]! += Math.abs(value);
      if (value < min[u]!) min[u] = value;
      if (value > max[u]!) max[u] = value;
      if (z[at]! > 0) active[u]! += 1;
    }
  }
  for (let u = 0; u < units; u++) {
    mean[u]! /= rows;
    meanAbs[u]! /= rows;
    active[u]! /= rows;
  }
  return { rows, mean, meanAbs, min, max, active };
}

/**
 * Each layer's statistics for rows × inputs `x` run through the network's weights as they are now. It uses
 * the network's own buffers, so a trainer calls it only between mini-batches.
 */
export function networkStats(network: Network, x: FloatArray, rows: number): UnitStats[] {
  network.ensureCapacity(rows);
  network.forward(x, rows);
  return network.layers.map((layer) => activationStats(layer.a, layer.z, rows, layer.units));
}
