import { describe, expect, it } from 'vitest';
import { constantNetwork } from '../../engine/baselines';
import { evaluate, type Split } from '../../engine/metrics';
import type { NetworkSpec } from '../../engine/network';

const split = (y: number[][]): Split => ({ x: new Float32Array(y.length * 2).fill(3), y: new Float32Array(y.flat()), rows: y.length });
const spec = (units: number, activation: 'sigmoid' | 'softmax' | 'linear', loss: NetworkSpec['loss']): NetworkSpec => ({
  inputs: 2, layers: [{ units: 5, activation: 'relu' }, { units, activation }], bias: false, loss, init: 'glorot',
});

describe('the constant model', () => {
  it('gives every row the training frequency of the positive class, whatever its inputs and without the run’s biases', () => {
    const train = split([[1], [1], [1], [0]]);
    const network = constantNetwork(spec(1, 'sigmoid', 'bce'), train);
    expect(network.layers).toHaveLength(1);
    const metrics = evaluate(network, train, { kind: 'classification' });
    expect(metrics.accuracy).toBe(0.75);
    expect(metrics.loss).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 6);
    // With sum of squares the mean is the best constant as well: 3·0.25² + 0.75².
    expect(evaluate(constantNetwork(spec(1, 'sigmoid', 'sse'), train), train, { kind: 'classification' }).loss).toBeCloseTo(0.75, 6);
  });

  it('keeps a finite loss for a class the training rows never show', () => {
    const train = split([[1, 0, 0], [1, 0, 0], [0, 1, 0]]);
    const network = constantNetwork(spec(3, 'softmax', 'softmax_ce'), train);
    const unseen = evaluate(network, split([[0, 0, 1]]), { kind: 'classification' });
    expect(unseen.accuracy).toBe(0);
    expect(unseen.loss).toBeCloseTo(-Math.log(1e-7), 1);
  });

  it('predicts the mean for a number, in the target’s units', () => {
    const train = split([[-1], [0], [4]]);
    const metrics = evaluate(constantNetwork(spec(1, 'linear', 'mse'), train), train, { kind: 'regression', scale: 2 });
    expect(metrics.rmse).toBeCloseTo(2 * Math.sqrt((4 + 1 + 9) / 3), 5);
    expect(metrics.r2).toBeCloseTo(0, 6);
  });
});
