import { describe, expect, it } from 'vitest';
import { mean, pairedTTest, regularizedIncompleteBeta, sampleSd, studentTCdf, twoSidedTPValue } from '../../engine/stats';

describe('mean and sample standard deviation', () => {
  it('match the textbook values', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    // Σ(v − 5)² = 32 over n − 1 = 7.
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(sampleSd([3])).toBeNaN();
  });
});

describe('the regularized incomplete beta function', () => {
  it('agrees with scipy.special.betainc', () => {
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 12);
    expect(regularizedIncompleteBeta(0.2, 0.5, 0.5)).toBeCloseTo(0.29516723530086664, 12);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});

describe('Student’s t distribution', () => {
  it('gives the tables’ two-sided p-values', () => {
    expect(twoSidedTPValue(2.262, 9)).toBeCloseTo(0.05001284550245455, 10);
    expect(twoSidedTPValue(1, 1)).toBeCloseTo(0.5, 12);
    expect(twoSidedTPValue(-4, 4)).toBeCloseTo(0.01613008990009254, 10);
    expect(twoSidedTPValue(0, 7)).toBe(1);
  });

  it('gives scipy’s CDF on both sides of zero', () => {
    expect(studentTCdf(-1.5, 3)).toBeCloseTo(0.11529193262241141, 10);
    expect(studentTCdf(0.7, 30)).toBeCloseTo(0.7553397782501642, 10);
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 14);
  });
});

describe('the paired t-test', () => {
  it('matches scipy.stats.ttest_rel on a crafted pair', () => {
    const a = [0.90, 0.85, 0.88, 0.92, 0.87];
    const b = [0.93, 0.86, 0.91, 0.95, 0.88];
    const test = pairedTTest(a, b);
    expect(test.n).toBe(5);
    expect(test.df).toBe(4);
    expect(test.meanDifference).toBeCloseTo(0.022, 12);
    expect(test.sdDifference).toBeCloseTo(0.010954451150103312, 12);
    expect(test.t).toBeCloseTo(4.490731195102497, 9);
    expect(test.p).toBeCloseTo(0.010899698569593576, 9);
  });

  it('says nothing differs when every pair is equal, and refuses pairs of unequal length', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3])).toMatchObject({ t: 0, p: 1 });
    expect(pairedTTest([1, 2, 3], [2, 3, 4])).toMatchObject({ t: Infinity, p: 0 });
    expect(() => pairedTTest([1, 2], [1])).toThrow(/as many values/);
  });
});
