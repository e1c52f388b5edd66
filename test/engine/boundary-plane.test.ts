import { describe, expect, it } from 'vitest';
import { heldInputs, inputToPlane, planeAxes, planeToInput, type Plane } from '../../engine/boundary-plane';
import type { Preprocessing } from '../../engine/data/preprocessing';
import { fitPca } from '../../engine/pca';

// Two numbers (one scaled: mean 10, std 2; one passed through) and a category of three, as a run records them.
const preprocessing: Preprocessing = {
  features: [
    { kind: 'numeric', column: 'length', mean: 10, std: 2, impute: 10 },
    { kind: 'onehot', column: 'island', categories: ['Biscoe', 'Dream', 'Torgersen'], impute: 'Biscoe' },
    { kind: 'numeric', column: 'mass', mean: 0, std: 1, impute: 4 },
  ],
  target: { kind: 'classes', column: 'species', classes: ['a', 'b'] },
  missingMarkers: [],
  missingPolicy: 'drop',
};

// Scaled rows: length (raw 8, 10, 14, 16), island Dream three times, mass 1, 2, 7, 9.
const rows = [
  [-1, 0, 1, 0, 1],
  [0, 0, 1, 0, 2],
  [2, 1, 0, 0, 7],
  [3, 0, 1, 0, 9],
];
const x = new Float64Array(rows.flat());

describe('the plane of a decision boundary', () => {
  it('holds each number at its training median and each category at its most common value', () => {
    const { held, values } = heldInputs(preprocessing, x, rows.length);
    // length: median of scaled −1, 0, 2, 3 is 1, raw 12; Dream is most common; mass: median of 1, 2, 7, 9 is 4.5.
    expect(Array.from(held)).toEqual([1, 0, 1, 0, 4.5]);
    expect(values).toEqual([
      { column: 'length', inputs: [0], value: 12 },
      { column: 'island', inputs: [1, 2, 3], value: 'Dream' },
      { column: 'mass', inputs: [4], value: 4.5 },
    ]);
  });

  it('takes the median of an odd number of rows as the middle one, and the first of equally common categories', () => {
    const { values } = heldInputs(preprocessing, x.subarray(0, 15).map((v, i) => (i === 7 ? 0 : v)), 3);
    // Scaled length −1, 0, 2: median 0 (raw 10); islands Dream once, Biscoe once (the second row has neither): Biscoe comes first.
    expect(values[0]!.value).toBe(10);
    expect(values[1]!.value).toBe('Biscoe');
  });

  it('offers the numbers as axes, not the one-hot inputs of a category', () => {
    expect(planeAxes(preprocessing)).toEqual([
      { input: 0, name: 'length', mean: 10, std: 2 },
      { input: 4, name: 'mass', mean: 0, std: 1 },
    ]);
  });

  it('maps a point of two columns, in their own units, to the held row with those columns scaled', () => {
    const [lengthAxis, massAxis] = planeAxes(preprocessing);
    const plane: Plane = { kind: 'columns', x: lengthAxis!, y: massAxis!, held: heldInputs(preprocessing, x, rows.length).held };
    const out = new Float32Array(7);
    planeToInput(plane, 15, 3, out, 2);
    expect(Array.from(out)).toEqual([0, 0, 2.5, 0, 1, 0, 3]);
    expect(inputToPlane(plane, rows[2]!)).toEqual([14, 7]);
  });

  it('maps a point of the principal plane to mean + p1·v1 + p2·v2, and a row back to its projection', () => {
    const pca = fitPca(x, rows.length, 5, 2);
    const plane: Plane = { kind: 'pca', mean: pca.mean, v1: pca.components[0]!, v2: pca.components[1]! };
    const out = new Float64Array(5);
    planeToInput(plane, 1.5, -0.5, out);
    out.forEach((v, i) => expect(v).toBeCloseTo(pca.mean[i]! + 1.5 * pca.components[0]![i]! - 0.5 * pca.components[1]![i]!, 12));
    const [p1, p2] = inputToPlane(plane, out);
    expect(p1).toBeCloseTo(1.5, 12);
    expect(p2).toBeCloseTo(-0.5, 12);
  });
});
