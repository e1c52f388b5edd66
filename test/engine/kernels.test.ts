import { describe, expect, it } from 'vitest';
import { Random, referenceKernels as K, type FloatArray } from '../../engine';

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
