import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitPca, symmetricEigen } from '../../engine/pca';

const irisFile = new URL('../../datasets/iris.csv', import.meta.url);
const iris = readFileSync(irisFile, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').slice(0, 4).map(Number));

describe('principal component analysis', () => {
  it('finds the components of the iris measurements that numpy and scikit-learn find, with their sign', () => {
    // Expected: numpy.linalg.eigh of numpy.cov on the same 150 × 4 numbers (scikit-learn's PCA gives the same).
    const pca = fitPca(new Float64Array(iris.flat()), iris.length, 4, 2);
    const expected = [[0.36138659, -0.08452251, 0.85667061, 0.3582892], [0.65658877, 0.73016143, -0.17337266, -0.07548102]];
    pca.components.forEach((v, k) => v.forEach((x, i) => expect(x).toBeCloseTo(expected[k]![i]!, 7)));
    expect(pca.variance[0]).toBeCloseTo(4.22824171, 7);
    expect(pca.variance[1]).toBeCloseTo(0.24267075, 7);
    expect(pca.explained[0]).toBeCloseTo(0.92461872, 7);
    expect(pca.explained[1]).toBeCloseTo(0.05306648, 7);
    expect(pca.mean[2]).toBeCloseTo(3.758, 10);
  });

  it('gives orthonormal components whose variances fall and sum to the total with all of them', () => {
    const rows = 60;
    const cols = 5;
    let seed = 11;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
    const x = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const a = random();
      const b = random();
      for (let c = 0; c < cols; c++) x[r * cols + c] = a * (c + 1) + b * (c % 2 ? 1 : -2) + 0.1 * random();
    }
    const pca = fitPca(x, rows, cols, cols);
    for (let i = 0; i < cols; i++) {
      for (let j = 0; j < cols; j++) {
        const dot = pca.components[i]!.reduce((s, v, k) => s + v * pca.components[j]![k]!, 0);
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    for (let k = 1; k < cols; k++) expect(pca.variance[k]!).toBeLessThanOrEqual(pca.variance[k - 1]!);
    expect(pca.explained.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    // Two directions made the data: they hold nearly all of its variance.
    expect(pca.explained[0]! + pca.explained[1]!).toBeGreaterThan(0.99);
    // The variance along a component is the variance of the rows' projections on it.
    const projections = Array.from({ length: rows }, (_, r) => pca.components[0]!.reduce((s, v, c) => s + v * (x[r * cols + c]! - pca.mean[c]!), 0));
    expect(projections.reduce((s, p) => s + p * p, 0) / (rows - 1)).toBeCloseTo(pca.variance[0]!, 10);
  });

  it('diagonalises a known symmetric matrix', () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 and 1 along (1, 1) and (1, −1).
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    const order = values[0]! > values[1]! ? [0, 1] : [1, 0];
    expect(values[order[0]!]).toBeCloseTo(3, 12);
    expect(values[order[1]!]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[order[0]!]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('says rows that do not vary explain nothing, rather than dividing by zero', () => {
    const pca = fitPca(new Float64Array([1, 2, 1, 2, 1, 2]), 3, 2, 2);
    expect(pca.explained).toEqual([0, 0]);
    expect(pca.components.flat().every(Number.isFinite)).toBe(true);
  });
});
