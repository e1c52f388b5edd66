import { describe, expect, it } from 'vitest';
import { Random } from '../../engine';

/**
 * An independent xoshiro128** in BigInt arithmetic (no Math.imul, no int32 coercions), so that a mistake
 * in the engine's 32-bit tricks cannot be mirrored here.
 */
const MASK = 0xffffffffn;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & MASK;

function xoshiroFromState(state: [bigint, bigint, bigint, bigint]): () => number {
  let [s0, s1, s2, s3] = state;
  return () => {
    const result = (rotl((s1 * 5n) & MASK, 7n) * 9n) & MASK;
    const t = (s1 << 9n) & MASK;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11n);
    return Number(result);
  };
}

/** SplitMix32 as random.ts documents it: golden-ratio increment, then murmur3's finaliser. */
function splitMix32State(seed: number): [bigint, bigint, bigint, bigint] {
  let x = BigInt(seed >>> 0);
  const next = (): bigint => {
    x = (x + 0x9e3779b9n) & MASK;
    let z = x;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & MASK;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & MASK;
    return z ^ (z >> 16n);
  };
  return [next(), next(), next(), next()];
}

const take = (rng: Random, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe('Random is xoshiro128** seeded by SplitMix32', () => {
  it('the independent reference reproduces the published xoshiro128** vector', () => {
    // Outputs for state (1, 2, 3, 4) from the authors' C code, as used in rand_xoshiro's `reference_starstar` test.
    // This validates the BigInt reference before it is used to judge the engine.
    const next = xoshiroFromState([1n, 2n, 3n, 4n]);
    expect(Array.from({ length: 10 }, next)).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('matches the independent reference for many seeds and a long run', () => {
    for (const seed of [0, 1, 2, 42, 0x7fffffff, 0x80000000, 0xffffffff, 123456789]) {
      const reference = xoshiroFromState(splitMix32State(seed));
      const rng = new Random(seed);
      for (let i = 0; i < 2000; i++) expect(rng.nextUint32()).toBe(reference());
    }
  });

  it('pins the first outputs for seed 1 (checked against the reference above)', () => {
    const pinned = [2442144158, 3238099751, 3819917871, 2104621829, 2021136066, 4223536128];
    const reference = xoshiroFromState(splitMix32State(1));
    expect(Array.from({ length: pinned.length }, reference)).toEqual(pinned);
    expect(take(new Random(1), pinned.length)).toEqual(pinned);
  });

  it('uniform() is built from 27 + 26 bits of two consecutive outputs', () => {
    const reference = xoshiroFromState(splitMix32State(9));
    const rng = new Random(9);
    for (let i = 0; i < 1000; i++) {
      const high = reference() >>> 5;
      const low = reference() >>> 6;
      expect(rng.uniform()).toBe((high * 2 ** 26 + low) / 2 ** 53);
    }
  });
});

describe('seeds and streams', () => {
  it('the same seed gives the same sequence', () => {
    expect(take(new Random(2024), 100)).toEqual(take(new Random(2024), 100));
  });

  it('nearby seeds give unrelated sequences', () => {
    const a = take(new Random(1), 64);
    const b = take(new Random(2), 64);
    // Unrelated 32-bit streams essentially never agree at any position.
    expect(a.filter((v, i) => v === b[i])).toEqual([]);
  });

  it('streams are fixed by (seed, purpose) and differ by either', () => {
    const init = take(Random.stream(5, 'init'), 32);
    expect(take(Random.stream(5, 'init'), 32)).toEqual(init);
    for (const other of [Random.stream(5, 'shuffle'), Random.stream(5, 'split'), Random.stream(6, 'init'), new Random(5)]) {
      const values = take(other, 32);
      expect(values.filter((v, i) => v === init[i])).toEqual([]);
    }
  });

  it('a stream does not shift when another stream draws more', () => {
    const alone = take(Random.stream(3, 'shuffle'), 10);
    const busy = Random.stream(3, 'init');
    take(busy, 1000);
    expect(take(Random.stream(3, 'shuffle'), 10)).toEqual(alone);
  });
});

describe('distributions', () => {
  const N = 100_000;

  it('uniform() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Random(11);
    let sum = 0;
    let squares = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < N; i++) {
      const u = rng.uniform();
      sum += u;
      squares += u * u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    const mean = sum / N;
    const variance = squares / N - mean * mean;
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    // Standard errors: 0.0009 for the mean, 0.00024 for the variance; bounds are ~5 of them.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.0015);
    // Both ends of the interval are reached, not just the middle.
    expect(min).toBeLessThan(1e-3);
    expect(max).toBeGreaterThan(1 - 1e-3);
  });

  it('normal() has mean 0, standard deviation 1 and the normal share within one sd', () => {
    const rng = new Random(12);
    let sum = 0;
    let squares = 0;
    let withinOne = 0;
    let nonFinite = 0;
    for (let i = 0; i < N; i++) {
      const z = rng.normal();
      if (!Number.isFinite(z)) nonFinite++;
      sum += z;
      squares += z * z;
      if (Math.abs(z) < 1) withinOne++;
    }
    expect(nonFinite).toBe(0);
    const mean = sum / N;
    const sd = Math.sqrt(squares / N - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(sd - 1)).toBeLessThan(0.012);
    // P(|Z| < 1) = 0.6827 for a normal; a uniform or a mis-scaled transform lands far from it.
    expect(Math.abs(withinOne / N - 0.6827)).toBeLessThan(0.006);
  });

  it('consecutive normal() values are uncorrelated (Box–Muller’s two outputs are independent)', () => {
    const rng = new Random(19);
    let sumProducts = 0;
    for (let i = 0; i < N / 2; i++) sumProducts += rng.normal() * rng.normal();
    // For independent standard normals the mean product is 0 with standard error √(2/N) ≈ 0.0045.
    expect(Math.abs(sumProducts / (N / 2))).toBeLessThan(0.025);
  });

  it('below(n) covers 0..n−1 evenly', () => {
    const rng = new Random(13);
    const n = 7;
    const draws = 70_000;
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < draws; i++) counts[rng.below(n)]!++;
    // Any value outside 0..n−1 (or a fraction) would have landed outside the counted slots.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(draws);
    expect(counts.every((c) => c > 0)).toBe(true);
    const expected = draws / n;
    const chiSquare = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 6 degrees of freedom: the 99.9th percentile is 22.5.
    expect(chiSquare).toBeLessThan(30);
  });

  it('below(n) has no modulo bias even when n is a large fraction of 2^32', () => {
    // n = 3·2^30: plain `x % n` would put half the draws below 2^30 instead of a third.
    const rng = new Random(14);
    const n = 3 * 2 ** 30;
    const draws = 30_000;
    let low = 0;
    let outside = 0;
    for (let i = 0; i < draws; i++) {
      const k = rng.below(n);
      if (!(k >= 0 && k < n && Number.isInteger(k))) outside++;
      if (k < 2 ** 30) low++;
    }
    expect(outside).toBe(0);
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.02);
  });

  it('below(1) is always 0, and n outside 1..2^32 is rejected', () => {
    const rng = new Random(15);
    for (let i = 0; i < 100; i++) expect(rng.below(1)).toBe(0);
    expect(rng.below(2 ** 32)).toBeLessThan(2 ** 32);
    expect(() => rng.below(0)).toThrow(RangeError);
    expect(() => rng.below(-3)).toThrow(RangeError);
    expect(() => rng.below(2 ** 32 + 1)).toThrow(RangeError);
  });
});

describe('shuffle', () => {
  it('is a permutation, for typed and plain arrays', () => {
    const rng = new Random(16);
    const typed = Uint32Array.from({ length: 100 }, (_, i) => i);
    rng.shuffle(typed);
    expect(Array.from(typed).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(typed)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    const plain = ['a', 'b', 'c', 'd', 'e', 'f'].map((_, i) => i * 10);
    rng.shuffle(plain);
    expect([...plain].sort((a, b) => a - b)).toEqual([0, 10, 20, 30, 40, 50]);
  });

  it('leaves empty and one-element arrays alone', () => {
    const rng = new Random(17);
    const empty: number[] = [];
    rng.shuffle(empty);
    expect(empty).toEqual([]);
    const one = [7];
    rng.shuffle(one);
    expect(one).toEqual([7]);
  });

  it('makes every ordering of 5 items about equally often', () => {
    // An off-by-one in Fisher–Yates (e.g. Sattolo's j < i) makes whole classes of orderings impossible.
    const rng = new Random(18);
    const trials = 24_000;
    const counts = new Map<string, number>();
    for (let t = 0; t < trials; t++) {
      const values = [0, 1, 2, 3, 4];
      rng.shuffle(values);
      const key = values.join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(120);
    const expected = trials / 120;
    let chiSquare = 0;
    for (const c of counts.values()) chiSquare += (c - expected) ** 2 / expected;
    // 119 degrees of freedom: the 99.9th percentile is about 170.
    expect(chiSquare).toBeLessThan(190);
  });
});
