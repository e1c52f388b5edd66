import { describe, expect, it } from 'vitest';
import { activation, balancedClassWeights, loss, LOSS_REGISTRY, LOSSES, Network, sigmoid, type ActivationName, type FloatArray, type NetworkSpec } from '../../engine';

const f64 = (...values: number[]) => Float64Array.from(values);

/** The loss's value and ∂loss/∂z for pre-activations z through the given output activation. */
function evaluateLoss(name: Parameters<typeof loss>[0], output: ActivationName, z: FloatArray, y: FloatArray, rows: number, cols: number) {
  const act = activation(output);
  const make = (n: number) => (z instanceof Float32Array ? new Float32Array(n) : new Float64Array(n));
  const a = make(rows * cols);
  act.forward(z, a, rows, cols);
  const dz = make(rows * cols);
  const value = loss(name).value(z, a, y, rows, cols);
  loss(name).gradient(z, a, y, act, make(rows * cols), dz, rows, cols);
  return { a, value, dz: Array.from(dz) };
}

describe('loss values by hand', () => {
  it('sse is the plain sum of squared errors; its gradient is 2(a − y)', () => {
    const { value, dz } = evaluateLoss('sse', 'linear', f64(1, 2, 3, 4), f64(0, 4, 3, 5), 2, 2);
    expect(value).toBe(1 + 4 + 0 + 1);
    expect(dz).toEqual([2, -4, 0, -2]);
  });

  it('mse averages over every output of every row; its gradient is 2(a − y)/n', () => {
    const { value, dz } = evaluateLoss('mse', 'linear', f64(1, 2, 3, 4), f64(0, 4, 3, 5), 2, 2);
    expect(value).toBe(6 / 4);
    expect(dz).toEqual([0.5, -1, 0, -0.5]);
  });

  it('squared errors chain through the output activation', () => {
    // a = σ(0) = ½, y = 1: sse = ¼, ∂/∂z = 2(a − y)·a(1 − a) = −¼
    const { value, dz } = evaluateLoss('sse', 'sigmoid', f64(0), f64(1), 1, 1);
    expect(value).toBe(0.25);
    expect(dz[0]).toBe(-0.25);
  });

  it('bce is −[y log a + (1−y) log(1−a)] averaged over outputs; gradient (a − y)/n', () => {
    // z = 0 → a = ½ → log 2; z = ln 3 → a = ¾, y = 0 → −log ¼ = log 4
    const { value, dz } = evaluateLoss('bce', 'sigmoid', f64(0, Math.log(3)), f64(1, 0), 2, 1);
    expect(value).toBeCloseTo((Math.log(2) + Math.log(4)) / 2, 15);
    expect(dz[0]).toBeCloseTo(-0.25, 15);
    expect(dz[1]).toBeCloseTo(0.375, 15);
  });

  it('bce with several outputs per row averages over all of them', () => {
    const { value } = evaluateLoss('bce', 'sigmoid', f64(0, 0, 0, 0), f64(1, 0, 1, 1), 2, 2);
    expect(value).toBeCloseTo(Math.log(2), 15);
  });

  it('softmax_ce is −Σ y log softmax(z) averaged over rows; gradient (a − y)/rows', () => {
    // Row 1: softmax(0, ln 2, ln 5) = (1/8, 2/8, 5/8), class 2 → −log(5/8). Row 2: uniform over 3, class 0 → log 3.
    const z = f64(0, Math.log(2), Math.log(5), 0, 0, 0);
    const y = f64(0, 0, 1, 1, 0, 0);
    const { a, value, dz } = evaluateLoss('softmax_ce', 'softmax', z, y, 2, 3);
    expect(a[0]).toBeCloseTo(1 / 8, 15);
    expect(a[2]).toBeCloseTo(5 / 8, 15);
    expect(value).toBeCloseTo((Math.log(8 / 5) + Math.log(3)) / 2, 15);
    const expected = [1 / 8, 2 / 8, 5 / 8 - 1, 1 / 3 - 1, 1 / 3, 1 / 3].map((v) => v / 2);
    dz.forEach((d, i) => expect(d).toBeCloseTo(expected[i]!, 15));
  });

  it('softmax_ce accepts soft targets', () => {
    // y = (½, ½, 0) on z = (0, ln 3, 0): softmax = (1/5, 3/5, 1/5) → −½ log(1/5) − ½ log(3/5)
    const { value } = evaluateLoss('softmax_ce', 'softmax', f64(0, Math.log(3), 0), f64(0.5, 0.5, 0), 1, 3);
    expect(value).toBeCloseTo(0.5 * Math.log(5) + 0.5 * Math.log(5 / 3), 15);
  });

  it('a perfect prediction costs nothing', () => {
    expect(evaluateLoss('mse', 'linear', f64(1, -2), f64(1, -2), 1, 2).value).toBe(0);
    expect(evaluateLoss('bce', 'sigmoid', f64(50, -50), f64(1, 0), 2, 1).value).toBeCloseTo(0, 20);
  });
});

describe('each loss’s reduction in the registry is how its value combines rows', () => {
  it.each(LOSSES)('%s', (name) => {
    const output = loss(name).requires ?? 'linear';
    const z = f64(0.3, -1.2, 2, 1.5, 0.1, -0.4);
    const y = f64(0, 1, 0, 1, 0, 0);
    const rows = [0, 1].map((r) => evaluateLoss(name, output, z.subarray(r * 3, r * 3 + 3), y.subarray(r * 3, r * 3 + 3), 1, 3).value);
    const both = evaluateLoss(name, output, z, y, 2, 3).value;
    const sum = rows[0]! + rows[1]!;
    expect(both).toBeCloseTo(LOSS_REGISTRY[name].reduction === 'sum' ? sum : sum / 2, 14);
  });
});

describe('saturated logits stay finite and exact', () => {
  for (const make of [Float64Array, Float32Array]) {
    it(`bce at z = ±1000 (${make.name})`, () => {
      const z = make.of(1000, 1000, -1000, -1000);
      const y = make.of(1, 0, 1, 0);
      const { a, value, dz } = evaluateLoss('bce', 'sigmoid', z, y, 4, 1);
      expect(Array.from(a)).toEqual([1, 1, 0, 0]);
      // Right answers cost 0, wrong ones cost |z| = 1000: the mean is 500, not Infinity or NaN.
      expect(value).toBe(500);
      expect(dz).toEqual([0, 0.25, -0.25, 0]);
    });

    it(`softmax_ce at z = (1000, −1000, 0) (${make.name})`, () => {
      const z = make.of(1000, -1000, 0, 1000, -1000, 0);
      const y = make.of(0, 1, 0, 1, 0, 0);
      const { a, value, dz } = evaluateLoss('softmax_ce', 'softmax', z, y, 2, 3);
      expect(Array.from(a)).toEqual([1, 0, 0, 1, 0, 0]);
      // Row 1 picks the −1000 class: logΣexp(z) − z₁ = 1000 + 1000. Row 2 is right: 0.
      expect(value).toBe(1000);
      expect(dz).toEqual([0.5, -0.5, 0, 0, 0, 0]);
    });
  }

  it('a whole network with saturated outputs backpropagates finite gradients', () => {
    const spec: NetworkSpec = { inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], bias: true, loss: 'bce', init: 'glorot' };
    const net = new Network(spec, 'float64', 2);
    net.layers[0]!.weights[0] = 1000;
    net.layers[0]!.bias![0] = 0;
    const x = f64(1, -1);
    const y = f64(0, 1); // both confidently wrong
    net.forward(x, 2);
    expect(net.lossValue(y, 2)).toBe(1000);
    net.backward(x, y, 2);
    // dz = (a − y)/2 = (½, −½); dW = Σ x·dz = ½ + ½ = 1; db = Σ dz = 0
    expect(net.layers[0]!.gradWeights[0]).toBe(1);
    expect(net.layers[0]!.gradBias![0]).toBe(0);
  });

  it('sigmoid is finite and correct at the extremes and symmetric in between', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(-700)).toBeGreaterThan(0);
    expect(sigmoid(-700) / Math.exp(-700)).toBeCloseTo(1, 12);
    for (const z of [0, 0.3, 2, 10, 30]) expect(sigmoid(-z)).toBeCloseTo(1 - sigmoid(z), 15);
    expect(sigmoid(0)).toBe(0.5);
  });
});

describe('class weights', () => {
  const weighted = (name: Parameters<typeof loss>[0], z: FloatArray, y: FloatArray, rows: number, cols: number, weights: FloatArray) => {
    const act = activation(loss(name).requires ?? 'linear');
    const a = new Float64Array(rows * cols);
    act.forward(z, a, rows, cols);
    const dz = new Float64Array(rows * cols);
    loss(name).gradient(z, a, y, act, new Float64Array(rows * cols), dz, rows, cols, weights);
    return { value: loss(name).value(z, a, y, rows, cols, weights), dz: Array.from(dz) };
  };

  it('multiply each row’s term and gradient by its weight, and a mean still divides by the rows, not by the weights’ sum', () => {
    // Row 1 as in the softmax test above costs log(8/5), row 2 costs log 3; weights 3 and 0.5.
    const z = f64(0, Math.log(2), Math.log(5), 0, 0, 0);
    const y = f64(0, 0, 1, 1, 0, 0);
    const { value, dz } = weighted('softmax_ce', z, y, 2, 3, f64(3, 0.5));
    expect(value).toBeCloseTo((3 * Math.log(8 / 5) + 0.5 * Math.log(3)) / 2, 15);
    const expected = [3 / 8, 6 / 8, 3 * (5 / 8 - 1), 0.5 * (1 / 3 - 1), 0.5 / 3, 0.5 / 3].map((v) => v / 2);
    dz.forEach((d, i) => expect(d).toBeCloseTo(expected[i]!, 15));

    const squares = weighted('sse', f64(1, 2, 3, 4), f64(0, 4, 3, 5), 2, 2, f64(2, 10));
    expect(squares.value).toBe(2 * (1 + 4) + 10 * (0 + 1));
    expect(squares.dz).toEqual([4, -8, 0, -20]);
    const mean = weighted('mse', f64(1, 2, 3, 4), f64(0, 4, 3, 5), 2, 2, f64(2, 10));
    expect(mean.value).toBe(20 / 4);
    const binary = weighted('bce', f64(0, Math.log(3)), f64(1, 0), 2, 1, f64(4, 1));
    expect(binary.value).toBeCloseTo((4 * Math.log(2) + Math.log(4)) / 2, 15);
    expect(binary.dz[0]).toBeCloseTo(-1, 15);
    expect(binary.dz[1]).toBeCloseTo(0.375, 15);
  });

  it.each(LOSSES)('weights of 1 give %s exactly its unweighted value and gradient', (name) => {
    const output = loss(name).requires ?? 'linear';
    const z = f64(0.3, -1.2, 2, 1.5, 0.1, -0.4);
    const y = f64(0, 1, 0, 1, 0, 0);
    const plain = evaluateLoss(name, output, z, y, 2, 3);
    const ones = weighted(name, z, y, 2, 3, f64(1, 1));
    expect(ones.value).toBeCloseTo(plain.value, 15);
    expect(ones.dz).toEqual(plain.dz);
  });
});

describe('balanced class weights', () => {
  it('are n / (k · n_c) of the rows’ classes, one-hot or one column of two classes', () => {
    // Classes 0, 0, 0, 1, 2, 2 one-hot: n = 6, k = 3.
    const y = f64(1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1);
    expect(balancedClassWeights(y, 6, 3)).toEqual([6 / 9, 6 / 3, 6 / 6]);
    expect(balancedClassWeights(f64(0, 0, 0, 1), 4, 1)).toEqual([4 / 6, 4 / 2]);
    // A class no row has counts once wherever it appears; k counts the classes present.
    expect(balancedClassWeights(f64(1, 0, 0, 1, 0, 0, 0, 0, 1), 3, 3)).toEqual([3 / 4, 1, 3 / 2]);
  });

  it('weigh a network’s loss by each row’s target class, and a float32 network agrees with a float64 one', () => {
    const spec: NetworkSpec = { inputs: 2, layers: [{ units: 3, activation: 'softmax' }], bias: true, loss: 'softmax_ce', init: 'glorot' };
    const x = f64(0.5, -1, 2, 0.3, -0.7, 1.1);
    const y = f64(1, 0, 0, 0, 0, 1, 0, 1, 0);
    const results = (['float64', 'float32'] as const).map((precision) => {
      const net = new Network(spec, precision, 3);
      net.layers[0]!.weights.set([0.2, -0.4, 0.6, 0.1, 0.9, -0.3]);
      const input = precision === 'float32' ? Float32Array.from(x) : x;
      const target = precision === 'float32' ? Float32Array.from(y) : y;
      net.forward(input, 3);
      const perRow = [0, 1, 2].map((r) => { net.forward(input.subarray(r * 2, r * 2 + 2), 1); return net.lossValue(target.subarray(r * 3, r * 3 + 3), 1); });
      net.setClassWeights([2, 0.5, 4]);
      net.forward(input, 3);
      return { value: net.lossValue(target, 3), expected: (2 * perRow[0]! + 4 * perRow[1]! + 0.5 * perRow[2]!) / 3 };
    });
    expect(results[0]!.value).toBeCloseTo(results[0]!.expected, 14);
    expect(results[1]!.value).toBeCloseTo(results[0]!.value, 6);
    expect(() => new Network(spec, 'float64', 1).setClassWeights([1, 2])).toThrow(/class weights are 2 numbers, but the network predicts 3 classes/);
  });
});
