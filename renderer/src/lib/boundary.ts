import { activation, type ActivationName } from '../../../engine/activations';
import type { Preprocessing } from '../../../engine/data/preprocessing';
import type { SnapshotLayer } from '../../../common/lab-api';
import { planeAxes, planeToInput, type Plane, type PlaneAxis } from '../../../engine/boundary-plane';

export interface PlanePoint {
  x1: number;
  x2: number;
  label: string;
  /** Held-back rows (test or validation) are drawn hollow, training rows filled. */
  heldBack: boolean;
}

export interface Range {
  min: number;
  max: number;
}

/** Whether a run's inputs are exactly two numbers, so its predictions can be drawn on a plane. */
export function isPlanar(preprocessing: Preprocessing | null | undefined): boolean {
  return !!preprocessing && preprocessing.features.length === 2 && preprocessing.features.every((f) => f.kind === 'numeric');
}

/** The plane of a run whose inputs are exactly two numbers (isPlanar): its two columns, nothing held. */
export function columnsPlane(preprocessing: Preprocessing): Extract<Plane, { kind: 'columns' }> {
  const [x, y] = planeAxes(preprocessing);
  return { kind: 'columns', x: x!, y: y!, held: [0, 0] };
}

/** An axis's mean ± 3 standard deviations, in its own units: a plane to draw on before any point is known. */
export function axisRange(axis: PlaneAxis): Range {
  return { min: axis.mean - 3 * axis.std, max: axis.mean + 3 * axis.std };
}

/**
 * Runs an n × n grid of points over the plane through the network's layers (as the snapshot holds them), each
 * point mapped to the network's `width` inputs by the plane. Returns rows × outputs values, row = j * n + i (i
 * along the first axis, j along the second, j = 0 at the top, the second axis largest).
 */
export function predictGrid(layers: SnapshotLayer[], plane: Plane, width: number, x: Range, y: Range, n: number): { values: Float32Array; outputs: number } {
  const outputs = forwardLayers(layers, planeInputs(plane, width, x, y, n), n * n);
  return { values: outputs[outputs.length - 1] ?? new Float32Array(0), outputs: layers[layers.length - 1]?.units ?? 2 };
}

/** The n × n grid's points as the network's `width` inputs (rows × width, scaled as the run scales them), in predictGrid's order. */
export function planeInputs(plane: Plane, width: number, x: Range, y: Range, n: number): Float32Array {
  const input = new Float32Array(n * n * width);
  for (let j = 0; j < n; j++) {
    const v2 = y.max - ((j + 0.5) / n) * (y.max - y.min);
    for (let i = 0; i < n; i++) planeToInput(plane, x.min + ((i + 0.5) / n) * (x.max - x.min), v2, input, (j * n + i) * width);
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

/** The extent of the values, with a margin; -3 to 3 when there are too few to span anything. */
export function planeRange(values: number[]): Range {
  const finite = values.filter(Number.isFinite);
  if (finite.length > 1) {
    const min = Math.min(...finite);
    const max = Math.max(...finite);
    const pad = (max - min) * 0.08 || 1;
    return { min: min - pad, max: max + pad };
  }
  const centre = finite[0] ?? 0;
  return { min: centre - 3, max: centre + 3 };
}

/** About `count` round values inside the range (steps of 1, 2 or 5 times a power of ten), for tick labels. */
export function niceTicks(range: Range, count = 5): number[] {
  const span = range.max - range.min;
  if (!(span > 0)) return [range.min];
  const rough = span / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(range.min / step) * step; t <= range.max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
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
