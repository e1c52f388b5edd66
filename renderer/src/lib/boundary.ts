import { activation, type ActivationName } from '../../../engine/activations';
import type { Preprocessing } from '../../../engine/data/preprocessing';
import type { SnapshotLayer } from '../../../common/lab-api';

export interface PlanePoint {
  x1: number;
  x2: number;
  label: string;
}

export interface Range {
  min: number;
  max: number;
}

/** Whether a run's inputs are exactly two numbers, so its predictions can be drawn on a plane. */
export function isPlanar(preprocessing: Preprocessing | null | undefined): boolean {
  return !!preprocessing && preprocessing.features.length === 2 && preprocessing.features.every((f) => f.kind === 'numeric');
}

/**
 * Runs an n × n grid of points over the plane through the network's layers (as the snapshot holds them),
 * with the run's own input scaling. Returns rows × outputs values, row = j * n + i (i along x1, j along x2,
 * j = 0 at the top, x2 largest).
 */
export function predictGrid(layers: SnapshotLayer[], preprocessing: Preprocessing, x: Range, y: Range, n: number): { values: Float32Array; outputs: number } {
  const outputs = forwardLayers(layers, planeInputs(preprocessing, x, y, n), n * n);
  return { values: outputs[outputs.length - 1] ?? new Float32Array(0), outputs: layers[layers.length - 1]?.units ?? 2 };
}

/** The n × n grid's points as the network's inputs (rows × 2, scaled as the run scales them), in predictGrid's order. */
export function planeInputs(preprocessing: Preprocessing, x: Range, y: Range, n: number): Float32Array {
  const [fx, fy] = preprocessing.features as [Extract<Preprocessing['features'][number], { kind: 'numeric' }>, Extract<Preprocessing['features'][number], { kind: 'numeric' }>];
  const input = new Float32Array(n * n * 2);
  for (let j = 0; j < n; j++) {
    const v2 = y.max - ((j + 0.5) / n) * (y.max - y.min);
    for (let i = 0; i < n; i++) {
      const v1 = x.min + ((i + 0.5) / n) * (x.max - x.min);
      input[(j * n + i) * 2] = (v1 - fx.mean) / (fx.std || 1);
      input[(j * n + i) * 2 + 1] = (v2 - fy.mean) / (fy.std || 1);
    }
  }
  return input;
}

/** Every layer's activations (rows × units each) for rows of `input`, through the snapshot's weights. */
export function forwardLayers(layers: SnapshotLayer[], input: Float32Array, rows: number): Float32Array[] {
  const out: Float32Array[] = [];
  let width = layers[0]?.inputs ?? 0;
  for (const layer of layers) {
    const units = layer.units;
    const z = new Float32Array(rows * units);
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < units; u++) {
        let sum = layer.bias ? layer.bias[u]! : 0;
        for (let k = 0; k < width; k++) sum += input[r * width + k]! * layer.weights[k * units + u]!;
        z[r * units + u] = sum;
      }
    }
    const a = new Float32Array(rows * units);
    activation(layer.activation as ActivationName).forward(z, a, rows, units);
    out.push(a);
    input = a;
    width = units;
  }
  return out;
}

/** The extent of the points, with a margin; mean ± 3 standard deviations when there are none. */
export function planeRange(points: PlanePoint[], preprocessing: Preprocessing, axis: 0 | 1): Range {
  const values = points.map((p) => (axis === 0 ? p.x1 : p.x2)).filter(Number.isFinite);
  if (values.length > 1) {
    const min = Math.min(...values);
    const max = Math.max(...values);
    const pad = (max - min) * 0.08 || 1;
    return { min: min - pad, max: max + pad };
  }
  const f = preprocessing.features[axis] as { mean: number; std: number };
  return { min: f.mean - 3 * (f.std || 1), max: f.mean + 3 * (f.std || 1) };
}

/** The class a row of outputs predicts and how sure it is (0 = a toss-up, 1 = certain). */
export function classOf(values: Float32Array, row: number, outputs: number, classes: number): { index: number; confidence: number } {
  if (outputs === 1) {
    const p = values[row]!;
    return { index: p >= 0.5 ? 1 : 0, confidence: Math.abs(p - 0.5) * 2 };
  }
  let best = 0;
  for (let k = 1; k < outputs; k++) if (values[row * outputs + k]! > values[row * outputs + best]!) best = k;
  const chance = 1 / Math.max(2, classes);
  return { index: best, confidence: Math.max(0, (values[row * outputs + best]! - chance) / (1 - chance)) };
}
