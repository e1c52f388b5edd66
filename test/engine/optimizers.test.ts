import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIMIZER, Network, Optimizer, Random, type OptimizerName, type OptimizerSettings, type Parameter,
} from '../../engine';

const settings = (name: OptimizerName, extra: Partial<OptimizerSettings> = {}): OptimizerSettings =>
  ({ ...DEFAULT_OPTIMIZER, name, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, l2: 0, ...extra });

const param = (values: number[], decay = true): Parameter =>
  ({ values: Float64Array.from(values), grads: new Float64Array(values.length), decay });

/** Runs one optimiser on a single scalar starting at 1 with the gradients 0.5, −1, 2; returns the value after each step. */
function trajectory(name: OptimizerName, lr = 0.1): number[] {
  const p = param([1]);
  const opt = new Optimizer([p], settings(name), 'float64');
  return [0.5, -1, 2].map((g) => {
    p.grads[0] = g;
    opt.step(lr);
    return p.values[0]!;
  });
}

describe('one, two and three steps by hand (lr 0.1, p₀ = 1, g = 0.5, −1, 2)', () => {
  it('SGD: p −= lr·g', () => {
    const [p1, p2, p3] = trajectory('sgd');
    expect(p1).toBeCloseTo(0.95, 14);
    expect(p2).toBeCloseTo(1.05, 14);
    expect(p3).toBeCloseTo(0.85, 14);
  });

  it('momentum (PyTorch): v = μv + g, p −= lr·v', () => {
    // v: 0.5 → 0.45 − 1 = −0.55 → −0.495 + 2 = 1.505
    const [p1, p2, p3] = trajectory('momentum');
    expect(p1).toBeCloseTo(1 - 0.05, 14);
    expect(p2).toBeCloseTo(0.95 + 0.055, 14);
    expect(p3).toBeCloseTo(1.005 - 0.1505, 14);
  });

  it('Nesterov (PyTorch): v = μv + g, p −= lr·(g + μv)', () => {
    // step 1: v = 0.5,   p −= 0.1·(0.5 + 0.45)    = 0.095   → 0.905
    // step 2: v = −0.55, p −= 0.1·(−1 − 0.495)    = −0.1495 → 1.0545
    // step 3: v = 1.505, p −= 0.1·(2 + 1.3545)    = 0.33545 → 0.71905
    const [p1, p2, p3] = trajectory('nesterov');
    expect(p1).toBeCloseTo(0.905, 14);
    expect(p2).toBeCloseTo(1.0545, 14);
    expect(p3).toBeCloseTo(0.71905, 14);
  });

  it('Adam with bias correction', () => {
    // m = 0.9m + 0.1g, v = 0.999v + 0.001g², p −= lr·(m/(1−0.9ᵗ)) / (√(v/(1−0.999ᵗ)) + ε)
    const step1 = (0.1 * (0.05 / 0.1)) / (Math.sqrt(0.00025 / 0.001) + 1e-8);
    const step2 = (0.1 * (-0.055 / 0.19)) / (Math.sqrt(0.00124975 / 0.001999) + 1e-8);
    const step3 = (0.1 * (0.1505 / 0.271)) / (Math.sqrt(0.00524850025 / 0.002997001) + 1e-8);
    const [p1, p2, p3] = trajectory('adam');
    expect(p1).toBeCloseTo(1 - step1, 13);
    expect(p2).toBeCloseTo(1 - step1 - step2, 13);
    expect(p3).toBeCloseTo(1 - step1 - step2 - step3, 13);
    // Rounded, as a reader can check: the first step is ≈ lr, the next two are −0.036610 and +0.041966.
    expect(p1).toBeCloseTo(0.9, 7);
    expect(p2).toBeCloseTo(0.936610, 5);
    expect(p3).toBeCloseTo(0.894645, 5);
  });

  it('Adam’s first step is ≈ lr·sign(g) whatever the gradient’s size (the point of bias correction)', () => {
    for (const g of [1e-3, 0.5, -7, 1e4]) {
      const p = param([0]);
      p.grads[0] = g;
      new Optimizer([p], settings('adam'), 'float64').step(0.01);
      expect(p.values[0]).toBeCloseTo(-0.01 * Math.sign(g), 6);
    }
  });

  it('updates every element of every parameter independently', () => {
    const a = param([1, 2, 3]);
    const b = param([-1], false);
    a.grads.set([1, -2, 0]);
    b.grads.set([4]);
    const opt = new Optimizer([a, b], settings('momentum'), 'float64');
    opt.step(0.5);
    a.grads.set([1, -2, 0]);
    b.grads.set([4]);
    opt.step(0.5);
    // v after two equal gradients g is 1.9g; total movement 0.5·(g + 1.9g) = 1.45g
    [1 - 1.45, 2 + 2.9, 3].forEach((v, i) => expect(a.values[i]).toBeCloseTo(v, 14));
    expect(b.values[0]).toBeCloseTo(-1 - 5.8, 14);
    expect(opt.steps).toBe(2);
  });

  it('float32 state gives the same numbers to float32 accuracy', () => {
    const p: Parameter = { values: Float32Array.of(1), grads: new Float32Array(1), decay: true };
    const opt = new Optimizer([p], settings('adam'), 'float32');
    const expected = trajectory('adam');
    [0.5, -1, 2].forEach((g, i) => {
      p.grads[0] = g;
      opt.step(0.1);
      expect(p.values[0]).toBeCloseTo(expected[i]!, 6);
    });
  });
});

describe('L2 penalty', () => {
  it('adds λ·w to the gradient of weights (decay: true) and leaves biases (decay: false) alone', () => {
    for (const name of ['sgd', 'momentum', 'nesterov', 'adam'] as const) {
      const weight = param([2, -4], true);
      const bias = param([2, -4], false);
      const opt = new Optimizer([weight, bias], settings(name, { l2: 0.1 }), 'float64');
      opt.step(0.1);
      // Zero loss gradient: only the penalty moves anything. Effective gradients are 0.2 and −0.4.
      const moved = {
        sgd: [2 - 0.02, -4 + 0.04],
        momentum: [2 - 0.02, -4 + 0.04],
        nesterov: [2 - 0.1 * (0.2 + 0.18), -4 + 0.1 * (0.4 + 0.36)],
        adam: [2 - 0.1, -4 + 0.1],
      }[name];
      expect(weight.values[0], name).toBeCloseTo(moved[0]!, 6);
      expect(weight.values[1], name).toBeCloseTo(moved[1]!, 6);
      expect(Array.from(bias.values), name).toEqual([2, -4]);
    }
  });

  it('combines with the loss gradient: SGD moves by lr·(g + λw)', () => {
    const w = param([3]);
    w.grads[0] = 0.5;
    new Optimizer([w], settings('sgd', { l2: 0.2 }), 'float64').step(0.1);
    expect(w.values[0]).toBeCloseTo(3 - 0.1 * (0.5 + 0.6), 14);
  });

  it('a network marks its weights for decay and its biases not', () => {
    const net = new Network({
      inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'linear' }], bias: true, loss: 'mse', init: 'glorot',
    }, 'float64');
    const params = net.parameters();
    expect(params.map((p) => [p.values.length, p.decay])).toEqual([[6, true], [3, false], [3, true], [1, false]]);
    expect(params[0]!.values).toBe(net.layers[0]!.weights);
    expect(params[1]!.values).toBe(net.layers[0]!.bias);
  });
});

describe('exportState / importState', () => {
  const gradients = (step: number, length: number) => Float64Array.from({ length }, (_, i) => Math.sin(step * 7 + i) * (i + 1));

  for (const name of ['sgd', 'momentum', 'nesterov', 'adam'] as const) {
    it(`${name}: a checkpoint resumes exactly, even if taken before more steps were made`, () => {
      const rng = new Random(3);
      const start = () => [param(Array.from({ length: 5 }, () => rng.normal())), param([0.1, -0.2], false)];
      const live = start();
      const opt = new Optimizer(live, settings(name, { l2: 0.01 }), 'float64');
      const stepWith = (o: Optimizer, ps: Parameter[], s: number) => {
        ps.forEach((p, i) => p.grads.set(gradients(s + i * 100, p.values.length)));
        o.step(0.05);
      };
      for (let s = 0; s < 2; s++) stepWith(opt, live, s);
      const checkpoint = opt.exportState();
      const weights = live.map((p) => Array.from(p.values));
      // The original keeps going; the checkpoint must still describe step 2.
      for (let s = 2; s < 5; s++) stepWith(opt, live, s);

      // As if stored as JSON and read back.
      const stored = JSON.parse(JSON.stringify({
        t: checkpoint.t, first: checkpoint.first.map((a) => Array.from(a)), second: checkpoint.second.map((a) => Array.from(a)),
      })) as { t: number; first: number[][]; second: number[][] };
      const resumed = weights.map((w, i) => param(w, i === 0));
      const opt2 = new Optimizer(resumed, settings(name, { l2: 0.01 }), 'float64');
      opt2.importState(stored);
      expect(opt2.steps).toBe(2);
      for (let s = 2; s < 5; s++) stepWith(opt2, resumed, s);
      expect(resumed.map((p) => Array.from(p.values))).toEqual(live.map((p) => Array.from(p.values)));
      expect(opt2.steps).toBe(5);
    });
  }

  it('without importing the state, momentum and Adam would not resume identically', () => {
    // Guards the test above against passing trivially.
    for (const name of ['momentum', 'adam'] as const) {
      const a = param([1]);
      const opt = new Optimizer([a], settings(name), 'float64');
      a.grads[0] = 1; opt.step(0.1);
      const b = param([a.values[0]!]);
      const fresh = new Optimizer([b], settings(name), 'float64');
      a.grads[0] = 1; b.grads[0] = 1;
      opt.step(0.1); fresh.step(0.1);
      expect(b.values[0]).not.toBe(a.values[0]);
    }
  });

  it('rejects state of the wrong shape', () => {
    const opt = new Optimizer([param([1, 2])], settings('adam'), 'float64');
    expect(() => opt.importState({ t: 1, first: [[0, 0, 0]], second: [[0, 0]] })).toThrow(/does not match/);
    expect(() => opt.importState({ t: 1, first: [], second: [] })).toThrow(/does not match/);
  });
});
