/**
 * The statistics that compare configurations over seeds: mean, sample standard deviation, Student's t
 * distribution and the paired t-test. The t CDF goes through the regularized incomplete beta function,
 * evaluated by its continued fraction (Lentz's method), so no statistics library is needed.
 */

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample standard deviation (n − 1); NaN for fewer than two values. */
export function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
}

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about fifteen digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = 0.99999999999980993;
  for (let i = 0; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i + 1);
  const t = z + LANCZOS.length - 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const TINY = 1e-300;
const EPSILON = 1e-15;
const MAX_TERMS = 1000;

/** The continued fraction of I_x(a, b), which converges fast for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_TERMS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < EPSILON) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1]. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (Number.isNaN(x) || x < 0 || x > 1 || !(a > 0) || !(b > 0)) return Number.NaN;
  if (x === 0) return 0;
  if (x === 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction for the smaller side, and the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) for the other.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t distribution with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** P(|T| ≥ |t|): the two-sided p-value of a t statistic. */
export function twoSidedTPValue(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

export interface PairedTTest {
  /** How many pairs. */
  n: number;
  /** Mean of b − a over the pairs. */
  meanDifference: number;
  /** Sample standard deviation of the differences. */
  sdDifference: number;
  /** Standard error of the mean difference, sd / √n. */
  standardError: number;
  t: number;
  df: number;
  /** Two-sided. */
  p: number;
}

/**
 * The paired t-test of b against a (pair i is a[i], b[i]): is the mean of b − a zero? Differences that are
 * all equal give t = ±∞ and p = 0, or t = 0 and p = 1 when they are all zero.
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): PairedTTest {
  if (a.length !== b.length) throw new Error(`a paired test needs as many values on each side (${a.length} and ${b.length})`);
  const differences = a.map((value, i) => b[i]! - value);
  const n = differences.length;
  const meanDifference = mean(differences);
  const sdDifference = sampleSd(differences);
  const standardError = sdDifference / Math.sqrt(n);
  const df = n - 1;
  let t: number;
  if (n < 2) t = Number.NaN;
  else if (standardError === 0) t = meanDifference === 0 ? 0 : Math.sign(meanDifference) * Infinity;
  else t = meanDifference / standardError;
  const p = n < 2 ? Number.NaN : t === 0 ? 1 : twoSidedTPValue(t, df);
  return { n, meanDifference, sdDifference, standardError, t, df, p };
}
