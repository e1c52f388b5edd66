/** Principal component analysis of a few columns: the directions of largest variance, by falling variance. */
export interface Pca {
  /** The column means the directions are taken about. */
  mean: number[];
  /** components[k]: a unit vector, orthogonal to the others; its largest entry (by size) is positive. */
  components: number[][];
  /** The variance of the rows along each component (divisor rows − 1, as numpy's and scikit-learn's). */
  variance: number[];
  /** Each component's share of the total variance (0 when the rows do not vary at all). */
  explained: number[];
}

/** Fits the first `count` principal components of rows × cols row-major data. */
export function fitPca(x: ArrayLike<number>, rows: number, cols: number, count = 2): Pca {
  const mean = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += x[r * cols + c]! / rows;
  const cov = covariance(x, rows, cols, mean);
  let total = 0;
  for (let c = 0; c < cols; c++) total += cov[c * cols + c]!;
  const { values, vectors } = symmetricEigen(cov, cols);
  const order = values.map((_, k) => k).sort((a, b) => values[b]! - values[a]! || a - b).slice(0, Math.min(count, cols));
  const components = order.map((k) => withPositiveLead(Array.from({ length: cols }, (_, c) => vectors[c * cols + k]!)));
  const variance = order.map((k) => Math.max(0, values[k]!));
  return { mean, components, variance, explained: variance.map((v) => (total > 0 ? v / total : 0)) };
}

function covariance(x: ArrayLike<number>, rows: number, cols: number, mean: number[]): Float64Array {
  const cov = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < cols; i++) {
      const di = x[r * cols + i]! - mean[i]!;
      for (let j = i; j < cols; j++) cov[i * cols + j]! += di * (x[r * cols + j]! - mean[j]!);
    }
  }
  const divisor = Math.max(1, rows - 1);
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      cov[i * cols + j]! /= divisor;
      cov[j * cols + i] = cov[i * cols + j]!;
    }
  }
  return cov;
}

/**
 * Cyclic Jacobi rotations: exact to rounding for the small matrices a covariance of inputs is, and the same
 * answer on every machine. Returns the eigenvalues and the eigenvectors as the columns of a row-major matrix.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): { values: number[]; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i * n + i]!), vectors: v };
}

/** An eigenvector's sign is arbitrary; scikit-learn's convention fixes it: the entry largest in size is positive. */
function withPositiveLead(vector: number[]): number[] {
  let lead = 0;
  for (let i = 1; i < vector.length; i++) if (Math.abs(vector[i]!) > Math.abs(vector[lead]!)) lead = i;
  return vector[lead]! < 0 ? vector.map((x) => -x) : vector;
}
