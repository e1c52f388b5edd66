import { featureWidth, inputNames, type Preprocessing } from './data/preprocessing';

/** A network input that can run along an axis: a number (a numeric column, or a part of a date), with its scaling. */
export interface PlaneAxis {
  /** Its place among the network's inputs. */
  input: number;
  name: string;
  /** raw value → (value − mean) / std, as the run scales it. */
  mean: number;
  std: number;
}

/** What a feature is held at while two others run along the axes, in its own units. */
export interface HeldValue {
  column: string;
  /** The network inputs the feature takes. */
  inputs: number[];
  /** The training median of a number (per part of a date), or the most common category. */
  value: number | string | number[];
}

/** A plane through the input space that the network's predictions are drawn over. */
export type Plane =
  | { kind: 'columns'; x: PlaneAxis; y: PlaneAxis; held: ArrayLike<number> }
  | { kind: 'pca'; mean: ArrayLike<number>; v1: ArrayLike<number>; v2: ArrayLike<number> };

/** The inputs that may be an axis: every input but a category's one-hot inputs. */
export function planeAxes(p: Preprocessing): PlaneAxis[] {
  const names = inputNames(p);
  const axes: PlaneAxis[] = [];
  let input = 0;
  for (const f of p.features) {
    if (f.kind === 'numeric') axes.push({ input, name: names[input]!, mean: f.mean, std: f.std || 1 });
    if (f.kind === 'date') f.parts.forEach((_, k) => axes.push({ input: input + k, name: names[input + k]!, mean: f.mean[k]!, std: f.std[k] || 1 }));
    input += featureWidth(f);
  }
  return axes;
}

/**
 * The scaled input row at the centre of the training rows (x: rows × inputs, scaled as the network sees them):
 * each number at its median, each category at its most common value (the first in order among equals).
 */
export function heldInputs(p: Preprocessing, x: ArrayLike<number>, rows: number): { held: Float64Array; values: HeldValue[] } {
  const width = p.features.reduce((n, f) => n + featureWidth(f), 0);
  const held = new Float64Array(width);
  const values: HeldValue[] = [];
  let input = 0;
  for (const f of p.features) {
    const inputs = Array.from({ length: featureWidth(f) }, (_, k) => input + k);
    if (f.kind === 'onehot') {
      let best = 0;
      let bestCount = -1;
      inputs.forEach((i, k) => {
        let count = 0;
        for (let r = 0; r < rows; r++) count += x[r * width + i]!;
        if (count > bestCount) [best, bestCount] = [k, count];
      });
      if (inputs.length > 0) held[input + best] = 1;
      values.push({ column: f.column, inputs, value: f.categories[best] ?? '' });
    } else {
      const raw = inputs.map((i, k) => {
        held[i] = median(x, rows, width, i);
        return f.kind === 'numeric' ? held[i]! * f.std + f.mean : held[i]! * f.std[k]! + f.mean[k]!;
      });
      values.push({ column: f.column, inputs, value: f.kind === 'numeric' ? raw[0]! : raw });
    }
    input += inputs.length;
  }
  return { held, values };
}

function median(x: ArrayLike<number>, rows: number, width: number, column: number): number {
  if (rows === 0) return 0;
  const values = Float64Array.from({ length: rows }, (_, r) => x[r * width + column]!).sort();
  const mid = rows >> 1;
  return rows % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

/**
 * Writes the network input of the plane's point (p1, p2) at out[offset…]: the held row with the two axes' columns
 * set (p1, p2 in the columns' own units), or mean + p1·v1 + p2·v2 in the scaled input space.
 */
export function planeToInput(plane: Plane, p1: number, p2: number, out: { [i: number]: number }, offset = 0): void {
  if (plane.kind === 'columns') {
    for (let i = 0; i < plane.held.length; i++) out[offset + i] = plane.held[i]!;
    out[offset + plane.x.input] = (p1 - plane.x.mean) / plane.x.std;
    out[offset + plane.y.input] = (p2 - plane.y.mean) / plane.y.std;
    return;
  }
  for (let i = 0; i < plane.mean.length; i++) out[offset + i] = plane.mean[i]! + p1 * plane.v1[i]! + p2 * plane.v2[i]!;
}

/** Where a scaled input row falls on the plane: the two columns' values, or its projection on the two components. */
export function inputToPlane(plane: Plane, row: ArrayLike<number>): [number, number] {
  if (plane.kind === 'columns') {
    return [row[plane.x.input]! * plane.x.std + plane.x.mean, row[plane.y.input]! * plane.y.std + plane.y.mean];
  }
  let p1 = 0;
  let p2 = 0;
  for (let i = 0; i < plane.mean.length; i++) {
    const d = row[i]! - plane.mean[i]!;
    p1 += d * plane.v1[i]!;
    p2 += d * plane.v2[i]!;
  }
  return [p1, p2];
}
