import { describe, expect, it } from 'vitest';
import { activation, ACTIVATIONS, LEAKY_SLOPE, Random, referenceKernels, type ActivationName, type FloatArray } from '../../engine';
import * as K from '../../engine/kernels/reference';

/** Naive definitions straight from the index formulas, with no loop-order or zero-skipping tricks. */
const naive = {
  matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
    const c: number[] = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c.push(s);
    }
    return c;
  },
  // a is k×m, so aᵀ[i][p] = a[p][i]
  matmulTransA(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
    const c: number[] = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[p * m + i]! * b[p * n + j]!;
      c.push(s);
    }
    return c;
  },
  // b is n×k, so bᵀ[p][j] = b[j][p]
  matmulTransB(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
    const c: number[] = [];
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[j * k + p]!;
      c.push(s);
    }
    return c;
  },
};

const PRECISIONS = [
  { name: 'float64', make: (n: number): FloatArray => new Float64Array(n) },
  { name: 'float32', make: (n: number): FloatArray => new Float32Array(n) },
] as const;
const SIZES = [1, 3, 7, 17, 33];
const SENTINEL = 12345.5;
const GARBAGE = Number.NaN;

/**
 * A buffer of `length` used values followed by `extra` entries of `fill`. NaN garbage in inputs proves it is
 * never read (any read would poison a result); a sentinel in outputs proves it is never written.
 */
function buffer(make: (n: number) => FloatArray, rng: Random, length: number, extra: number, fill: number): FloatArray {
  const out = make(length + extra);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  // Exact zeros exercise the reference kernels' skip-zero shortcut.
  if (length > 2) out[Math.floor(length / 2)] = 0;
  out.fill(fill, length);
  return out;
}

/** Expects the first values to match within the rounding of the precision, and the tail to hold the sentinel. */
function expectMatch(actual: FloatArray, expected: number[], k: number, float32: boolean): void {
  // Each entry is a k-term sum, so rounding grows with k; float32 kernels also round every partial sum.
  // A wrong index or a missed term is off by O(1), far above these bounds.
  const tolerance = (float32 ? 1e-5 : 1e-13) * Math.max(1, k);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i]!)) * 4);
  }
  for (let i = expected.length; i < actual.length; i++) expect(actual[i]).toBe(SENTINEL);
}

/** What a float32 kernel computes from: inputs rounded to float32, as the naive loops will see them. */
const asNumbers = (x: FloatArray, length: number): number[] => Array.from(x.subarray(0, length));

describe('reference kernels agree with naive loops', () => {
  for (const precision of PRECISIONS) {
    const float32 = precision.name === 'float32';
    describe(precision.name, () => {
      it('matmul: c[m×n] = a[m×k] · b[k×n]', () => {
        const rng = new Random(1);
        for (const m of SIZES) for (const k of SIZES) for (const n of SIZES) {
          const a = buffer(precision.make, rng, m * k, 5, GARBAGE);
          const b = buffer(precision.make, rng, k * n, 5, GARBAGE);
          const c = precision.make(m * n + 4).fill(SENTINEL);
          K.matmul(a, b, c, m, k, n);
          expectMatch(c, naive.matmul(asNumbers(a, m * k), asNumbers(b, k * n), m, k, n), k, float32);
        }
      });

      it('matmulTransA: c[m×n] = aᵀ · b with a[k×m], b[k×n]', () => {
        const rng = new Random(2);
        for (const m of SIZES) for (const k of SIZES) for (const n of SIZES) {
          const a = buffer(precision.make, rng, k * m, 5, GARBAGE);
          const b = buffer(precision.make, rng, k * n, 5, GARBAGE);
          const c = precision.make(m * n + 4).fill(SENTINEL);
          K.matmulTransA(a, b, c, m, k, n);
          expectMatch(c, naive.matmulTransA(asNumbers(a, k * m), asNumbers(b, k * n), m, k, n), k, float32);
        }
      });

      it('matmulTransB: c[m×n] = a · bᵀ with a[m×k], b[n×k]', () => {
        const rng = new Random(3);
        for (const m of SIZES) for (const k of SIZES) for (const n of SIZES) {
          const a = buffer(precision.make, rng, m * k, 5, GARBAGE);
          const b = buffer(precision.make, rng, n * k, 5, GARBAGE);
          const c = precision.make(m * n + 4).fill(SENTINEL);
          K.matmulTransB(a, b, c, m, k, n);
          expectMatch(c, naive.matmulTransB(asNumbers(a, m * k), asNumbers(b, n * k), m, k, n), k, float32);
        }
      });

      it('addBias adds bias[j] to every used row and nothing beyond', () => {
        const rng = new Random(4);
        for (const rows of SIZES) for (const cols of SIZES) {
          const z = buffer(precision.make, rng, rows * cols, 0, 0);
          const before = Array.from(z);
          const padded = precision.make(rows * cols + 6);
          padded.set(z);
          padded.fill(SENTINEL, rows * cols);
          const bias = buffer(precision.make, rng, cols, 3, GARBAGE);
          K.addBias(padded, bias, rows, cols);
          for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) {
            // One addition per entry: the result is exactly the rounded sum in either precision.
            const expected = float32 ? Math.fround(before[r * cols + j]! + bias[j]!) : before[r * cols + j]! + bias[j]!;
            expect(padded[r * cols + j]).toBe(expected);
          }
          for (let i = rows * cols; i < padded.length; i++) expect(padded[i]).toBe(SENTINEL);
        }
      });

      it('sumRows: out[j] = Σ_r a[r, j]', () => {
        const rng = new Random(5);
        for (const rows of SIZES) for (const cols of SIZES) {
          const a = buffer(precision.make, rng, rows * cols, 7, GARBAGE);
          const out = precision.make(cols + 3).fill(SENTINEL);
          K.sumRows(a, out, rows, cols);
          const expected = Array.from({ length: cols }, (_, j) => {
            let s = 0;
            for (let r = 0; r < rows; r++) s += a[r * cols + j]!;
            return s;
          });
          expectMatch(out, expected, rows, float32);
        }
      });
    });
  }
});

describe('kernels overwrite, never accumulate into, their outputs', () => {
  it('a second call with other inputs gives the same result as a first call into a clean buffer', () => {
    const rng = new Random(6);
    const [m, k, n] = [3, 7, 5];
    const fresh = () => Float64Array.from({ length: 40 }, () => rng.normal());
    const a1 = fresh(); const b1 = fresh(); const a2 = fresh(); const b2 = fresh();
    for (const op of ['matmul', 'matmulTransA', 'matmulTransB'] as const) {
      const reused = new Float64Array(m * n);
      K[op](a1, b1, reused, m, k, n);
      K[op](a2, b2, reused, m, k, n);
      const clean = new Float64Array(m * n);
      K[op](a2, b2, clean, m, k, n);
      expect(Array.from(reused)).toEqual(Array.from(clean));
    }
    const out = new Float64Array(n).fill(99);
    K.sumRows(a2, out, m, n);
    const clean = new Float64Array(n);
    K.sumRows(a2, clean, m, n);
    expect(Array.from(out)).toEqual(Array.from(clean));
  });

  it('small exact cases, by hand', () => {
    // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
    const c = new Float64Array(4);
    K.matmul(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c, 2, 2, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
    // [1 2; 3 4]ᵀ · [5 6; 7 8] = [1 3; 2 4] · [5 6; 7 8] = [26 30; 38 44]
    K.matmulTransA(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c, 2, 2, 2);
    expect(Array.from(c)).toEqual([26, 30, 38, 44]);
    // [1 2; 3 4] · [5 6; 7 8]ᵀ = [17 23; 39 53]
    K.matmulTransB(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c, 2, 2, 2);
    expect(Array.from(c)).toEqual([17, 23, 39, 53]);
    // A 1×3 by 3×1 product and its outer-product counterpart.
    const dot = new Float64Array(1);
    K.matmul(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6), dot, 1, 3, 1);
    expect(dot[0]).toBe(32);
    const outer = new Float64Array(9);
    K.matmul(Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6), outer, 3, 1, 3);
    expect(Array.from(outer)).toEqual([4, 5, 6, 8, 10, 12, 12, 15, 18]);
    const sums = new Float64Array(2);
    K.sumRows(Float64Array.of(1, 2, 3, 4, 5, 6), sums, 3, 2);
    expect(Array.from(sums)).toEqual([9, 12]);
  });
});

/** ∂a_j/∂z_i of one row, straight from each activation's definition (f′ through z, never through a). */
function naiveJacobian(name: ActivationName, z: number[]): number[][] {
  const n = z.length;
  const diagonal = (d: (zi: number) => number): number[][] =>
    z.map((_, j) => z.map((zi, i) => (i === j ? d(zi) : 0)));
  const sigma = (x: number): number => 1 / (1 + Math.exp(-x));
  switch (name) {
    case 'sigmoid': return diagonal((zi) => sigma(zi) * (1 - sigma(zi)));
    case 'tanh': return diagonal((zi) => 1 - Math.tanh(zi) ** 2);
    case 'relu': return diagonal((zi) => (zi > 0 ? 1 : 0));
    case 'leaky_relu': return diagonal((zi) => (zi > 0 ? 1 : LEAKY_SLOPE));
    case 'linear': return diagonal(() => 1);
    case 'softmax': {
      const e = z.map(Math.exp);
      const total = e.reduce((sum, v) => sum + v, 0);
      const a = e.map((v) => v / total);
      return Array.from({ length: n }, (_, j) => Array.from({ length: n }, (_, i) => a[j]! * ((i === j ? 1 : 0) - a[i]!)));
    }
  }
}

function naiveForward(name: ActivationName, z: number[]): number[] {
  switch (name) {
    case 'sigmoid': return z.map((v) => 1 / (1 + Math.exp(-v)));
    case 'tanh': return z.map(Math.tanh);
    case 'relu': return z.map((v) => Math.max(0, v));
    case 'leaky_relu': return z.map((v) => (v > 0 ? v : LEAKY_SLOPE * v));
    case 'linear': return z.slice();
    case 'softmax': {
      const e = z.map(Math.exp);
      const total = e.reduce((sum, v) => sum + v, 0);
      return e.map((v) => v / total);
    }
  }
}

const rowOf = (x: FloatArray, r: number, cols: number): number[] => Array.from(x.subarray(r * cols, (r + 1) * cols));
const sameBits = (actual: FloatArray, expected: FloatArray, length: number): void =>
  expect(Array.from(actual.subarray(0, length))).toEqual(Array.from(expected.subarray(0, length)));
const expectSentinelTail = (x: FloatArray, from: number): void => {
  for (let i = from; i < x.length; i++) expect(x[i]).toBe(SENTINEL);
};
/** Every (rows, inputs, units) of SIZES, with the activation and the optional parts taking turns. */
const LAYER_SHAPES = SIZES.flatMap((rows) => SIZES.flatMap((inputs) => SIZES.map((units) => [rows, inputs, units] as const)));

describe('the reference layer routines', () => {
  for (const precision of PRECISIONS) {
    const float32 = precision.name === 'float32';
    // float32 results are rounded once from a double computation; the naive ones are not rounded at all
    const tolerance = float32 ? 2e-7 : 1e-14;
    describe(precision.name, () => {
      it('denseForward: z = x·w + bias against naive loops, a = f(z) for every activation, bit for bit the composed routines', () => {
        const rng = new Random(21);
        LAYER_SHAPES.forEach(([rows, inputs, units], index) => {
          const name = ACTIVATIONS[index % ACTIVATIONS.length]!;
          const withBias = index % 4 < 2;
          const x = buffer(precision.make, rng, rows * inputs, 5, GARBAGE);
          const w = buffer(precision.make, rng, inputs * units, 5, GARBAGE);
          const bias = withBias ? buffer(precision.make, rng, units, 3, GARBAGE) : null;
          const z = precision.make(rows * units + 4).fill(SENTINEL);
          const a = precision.make(rows * units + 4).fill(SENTINEL);
          referenceKernels.denseForward(x, w, bias, z, a, rows, inputs, units, activation(name));

          const expectedZ = naive.matmul(asNumbers(x, rows * inputs), asNumbers(w, inputs * units), rows, inputs, units)
            .map((v, i) => v + (bias ? bias[i % units]! : 0));
          expectMatch(z, expectedZ, inputs + 1, float32);
          for (let r = 0; r < rows; r++) {
            naiveForward(name, rowOf(z, r, units)).forEach((expected, j) => {
              expect(Math.abs(a[r * units + j]! - expected)).toBeLessThanOrEqual(tolerance * units * Math.max(1, Math.abs(expected)));
            });
          }
          expectSentinelTail(a, rows * units);

          // The composed path the layers took before the fused routine: the same arithmetic in the same order.
          const composedZ = precision.make(rows * units);
          const composedA = precision.make(rows * units);
          K.matmul(x, w, composedZ, rows, inputs, units);
          if (bias) K.addBias(composedZ, bias, rows, units);
          activation(name).forward(composedZ, composedA, rows, units);
          sameBits(z, composedZ, rows * units);
          sameBits(a, composedA, rows * units);
        });
      });

      it('denseBackward: xᵀ·dz, the column sums of dz and dz·wᵀ against naive loops, bit for bit the composed routines', () => {
        const rng = new Random(22);
        LAYER_SHAPES.forEach(([rows, inputs, units], index) => {
          const withBias = index % 2 === 0;
          const withInput = index % 4 < 2;
          const x = buffer(precision.make, rng, rows * inputs, 5, GARBAGE);
          const w = buffer(precision.make, rng, inputs * units, 5, GARBAGE);
          const dz = buffer(precision.make, rng, rows * units, 5, GARBAGE);
          const gradW = precision.make(inputs * units + 4).fill(SENTINEL);
          const gradBias = withBias ? precision.make(units + 4).fill(SENTINEL) : null;
          const dInput = withInput ? precision.make(rows * inputs + 4).fill(SENTINEL) : null;
          referenceKernels.denseBackward(x, w, dz, gradW, gradBias, dInput, rows, inputs, units);

          const xs = asNumbers(x, rows * inputs);
          const dzs = asNumbers(dz, rows * units);
          expectMatch(gradW, naive.matmulTransA(xs, dzs, inputs, rows, units), rows, float32);
          const composedW = precision.make(inputs * units);
          K.matmulTransA(x, dz, composedW, inputs, rows, units);
          sameBits(gradW, composedW, inputs * units);
          if (gradBias) {
            const sums = Array.from({ length: units }, (_, j) => dzs.reduce((sum, v, i) => (i % units === j ? sum + v : sum), 0));
            expectMatch(gradBias, sums, rows, float32);
            const composedBias = precision.make(units);
            K.sumRows(dz, composedBias, rows, units);
            sameBits(gradBias, composedBias, units);
          }
          if (dInput) {
            expectMatch(dInput, naive.matmulTransB(dzs, asNumbers(w, inputs * units), rows, units, inputs), units, float32);
            const composedInput = precision.make(rows * inputs);
            K.matmulTransB(dz, w, composedInput, rows, units, inputs);
            sameBits(dInput, composedInput, rows * inputs);
          }
        });
      });

      it('activationBackward: dz = Jᵀ·da against the Jacobian of every activation, row by row', () => {
        const rng = new Random(23);
        for (const name of ACTIVATIONS) for (const rows of SIZES) for (const cols of SIZES) {
          const z = buffer(precision.make, rng, rows * cols, 5, GARBAGE);
          // ReLU's kink: f′(0) is 0, on either side of zero
          z[0] = 0;
          if (rows * cols > 1) z[1] = -0;
          const a = precision.make(rows * cols + 5).fill(GARBAGE);
          activation(name).forward(z, a, rows, cols);
          const da = buffer(precision.make, rng, rows * cols, 5, GARBAGE);
          const dz = precision.make(rows * cols + 4).fill(SENTINEL);
          referenceKernels.activationBackward(activation(name), z, a, da, dz, rows, cols);
          for (let r = 0; r < rows; r++) {
            const jacobian = naiveJacobian(name, rowOf(z, r, cols));
            const das = rowOf(da, r, cols);
            // |f′| ≤ 1 for all of them, so an error is measured against the size of da
            const scale = das.reduce((sum, v) => sum + Math.abs(v), 0);
            for (let i = 0; i < cols; i++) {
              const expected = das.reduce((sum, d, j) => sum + d * jacobian[j]![i]!, 0);
              expect(Math.abs(dz[r * cols + i]! - expected)).toBeLessThanOrEqual(10 * tolerance * Math.max(1, scale));
            }
          }
          expectSentinelTail(dz, rows * cols);
        }
      });

      it('sgdUpdate: v −= lr·(g + λv), each entry rounded once to the precision, nothing past n', () => {
        const rng = new Random(24);
        for (const n of [0, ...SIZES]) for (const lambda of [0, 0.01]) {
          const values = buffer(precision.make, rng, n, 0, 0);
          const padded = precision.make(n + 3).fill(SENTINEL);
          padded.set(values);
          const grads = buffer(precision.make, rng, n, 3, GARBAGE);
          const expected = precision.make(n);
          for (let i = 0; i < n; i++) expected[i] = values[i]! - 0.3 * (grads[i]! + lambda * values[i]!);
          referenceKernels.sgdUpdate(padded, grads, n, 0.3, lambda);
          sameBits(padded, expected, n);
          expectSentinelTail(padded, n);
        }
      });
    });
  }
});
