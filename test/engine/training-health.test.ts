import { describe, expect, it } from 'vitest';
import { Network, Random, type NetworkSpec, type Split } from '../../engine';
import type { ActivationName } from '../../engine/activations';
import type { InitName } from '../../engine/initializers';
import { HealthProbe, histogram, KEPT_SNAPSHOTS, type DataFacts, type HealthWarningKind } from '../../engine/health';
import { isOscillating, isPlateau } from '../../engine/health/loss-trend';

const FACTS: DataFacts = { inputsScaled: true, classWeighted: false, classification: true };

/** Rows of standard normal inputs and a balanced binary target (the sign of the first input). */
function normalRows(rows: number, inputs: number, seed = 1, scale: number[] = []): Split {
  const rng = new Random(seed);
  const x = new Float32Array(rows * inputs);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < inputs; c++) x[r * inputs + c] = rng.normal() * (scale[c] ?? 1);
    y[r] = x[r * inputs]! > 0 ? 1 : 0;
  }
  return { x, y, rows };
}

function network(hidden: { units: number; activation: ActivationName }[], inputs = 4, init: InitName = 'glorot', seed = 3): Network {
  const spec: NetworkSpec = { inputs, layers: [...hidden, { units: 1, activation: 'sigmoid' }], bias: true, loss: 'bce', init };
  const net = new Network(spec);
  net.initialize(new Random(seed));
  return net;
}

function kinds(net: Network, data: Split, facts = FACTS, losses: number[] = []): HealthWarningKind[] {
  return new HealthProbe(net, data, facts).measure(net, 1, losses).warnings.map((w) => w.kind);
}

describe('histograms', () => {
  it('counts values into equal bins over their range, the maximum in the last bin', () => {
    const h = histogram([0, 1, 1, 2, 3, 4, 9, 10], 5);
    expect(h).toEqual({ min: 0, max: 10, counts: [3, 2, 1, 0, 2] });
  });

  it('leaves out values that are not numbers, and puts a single value in the middle bin', () => {
    expect(histogram([NaN, 2, Infinity, 2], 4)).toEqual({ min: 2, max: 2, counts: [0, 0, 2, 0] });
    expect(histogram([1, 2, 3, 100], 2, 3)).toEqual({ min: 1, max: 3, counts: [1, 2] });
  });

  it('records each layer’s weights, activations and gradients at each epoch, a bounded number of them', () => {
    const net = network([{ units: 5, activation: 'relu' }]);
    const data = normalRows(200, 4);
    const probe = new HealthProbe(net, data, FACTS);
    let health = probe.measure(net, 1, []);
    const first = health.history[0]!.layers[0]!;
    expect(first.weights).toEqual(histogram(net.layers[0]!.weights, 20));
    expect(first.weights.counts.reduce((a, b) => a + b)).toBe(4 * 5);
    // 128 sampled rows of 5 units.
    expect(first.activations.counts.reduce((a, b) => a + b)).toBe(128 * 5);
    expect(first.gradients.counts.reduce((a, b) => a + b)).toBe(4 * 5);
    expect(health.layers).toEqual([{ layer: 1, activation: 'relu', units: 5 }, { layer: 2, activation: 'sigmoid', units: 1 }]);
    for (let epoch = 2; epoch <= 100; epoch++) health = probe.measure(net, epoch, []);
    expect(health.history.length).toBeLessThanOrEqual(KEPT_SNAPSHOTS);
    expect(health.history[0]!.epoch).toBe(1);
    expect(health.history.at(-1)!.epoch).toBe(100);
  });

  it('leaves the trainer’s network as it was', () => {
    const net = network([{ units: 5, activation: 'tanh' }]);
    const before = Float32Array.from(net.layers[0]!.a);
    const weights = Float32Array.from(net.layers[0]!.weights);
    new HealthProbe(net, normalRows(50, 4), FACTS).measure(net, 1, []);
    expect(net.layers[0]!.a).toEqual(before);
    expect(net.layers[0]!.weights).toEqual(weights);
  });
});

describe('health warnings', () => {
  it('raises none on a healthy network, data and loss', () => {
    const net = network([{ units: 8, activation: 'relu' }, { units: 8, activation: 'tanh' }], 4, 'he');
    const falling = Array.from({ length: 20 }, (_, i) => 0.7 * 0.9 ** i);
    expect(kinds(net, normalRows(200, 4), FACTS, falling)).toEqual([]);
  });

  it('dead-relu: large negative biases leave every ReLU unit off', () => {
    const net = network([{ units: 8, activation: 'relu' }], 4, 'he');
    net.layers[0]!.bias!.fill(-100);
    const health = new HealthProbe(net, normalRows(200, 4), FACTS).measure(net, 1, []);
    expect(health.warnings).toEqual([expect.objectContaining({ kind: 'dead-relu', layer: 1 })]);
    expect(health.warnings[0]!.message).toMatch(/^Layer 1 \(ReLU\): 8 of 8 units \(100 %\) were never active .*--activation leaky_relu/);
  });

  it('saturated: huge weights drive sigmoid units to 0 and 1', () => {
    const net = network([{ units: 8, activation: 'sigmoid' }]);
    const w = net.layers[0]!.weights;
    for (let i = 0; i < w.length; i++) w[i]! *= 100;
    expect(kinds(net, normalRows(200, 4))).toContain('saturated');
    const health = new HealthProbe(net, normalRows(200, 4), FACTS).measure(net, 1, []);
    expect(health.warnings.find((x) => x.kind === 'saturated')).toMatchObject({ layer: 1 });
  });

  it('vanishing-gradients: many tanh layers of tiny weights pass almost nothing down', () => {
    const tanh = Array.from({ length: 5 }, () => ({ units: 8, activation: 'tanh' as const }));
    const health = new HealthProbe(network(tanh, 4, 'normal'), normalRows(200, 4), FACTS).measure(network(tanh, 4, 'normal'), 1, []);
    expect(health.warnings).toEqual([expect.objectContaining({ kind: 'vanishing-gradients', layer: 1 })]);
    expect(health.warnings[0]!.message).toMatch(/the gradients reaching it are \de-\d+ of the output layer's/);
  });

  it('exploding-gradients: large weights on many ReLU layers multiply the error on its way down', () => {
    const relu = Array.from({ length: 4 }, () => ({ units: 16, activation: 'relu' as const }));
    const net = network(relu, 4, 'he');
    for (const layer of net.layers.slice(0, -1)) for (let i = 0; i < layer.weights.length; i++) layer.weights[i]! *= 10;
    expect(kinds(net, normalRows(200, 4))).toContain('exploding-gradients');
  });

  it('unscaled-inputs: an input of scale 1000 when standardising is off, and not when it is on', () => {
    const net = network([{ units: 4, activation: 'relu' }], 3, 'he');
    const data = normalRows(200, 3, 5, [1, 1000, 1]);
    const facts = { ...FACTS, inputsScaled: false, inputNames: ['a', 'area', 'c'] };
    const health = new HealthProbe(net, data, facts).measure(net, 1, []);
    const warning = health.warnings.find((w) => w.kind === 'unscaled-inputs');
    expect(warning?.message).toMatch(/area \(about 970\).*leave out --no-standardize\.$/);
    expect(health.warnings.filter((w) => w.kind === 'unscaled-inputs')).toHaveLength(1);
    expect(kinds(net, data, { ...FACTS, inputsScaled: true })).not.toContain('unscaled-inputs');
  });

  it('imbalanced-target: a 95/5 target, unless the classes are weighted', () => {
    const net = network([{ units: 4, activation: 'relu' }], 4, 'he');
    const data = normalRows(200, 4);
    for (let r = 0; r < 200; r++) data.y[r] = r % 20 === 0 ? 1 : 0;
    const health = new HealthProbe(net, data, { ...FACTS, classes: ['no', 'yes'] }).measure(net, 1, []);
    expect(health.warnings.find((w) => w.kind === 'imbalanced-target')?.message).toMatch(/class “yes” is 5 % of the training rows.*scores 95 %.*--class-weight balanced/);
    expect(kinds(net, data, { ...FACTS, classWeighted: true })).not.toContain('imbalanced-target');
    expect(kinds(net, data, { ...FACTS, classification: false })).not.toContain('imbalanced-target');
  });

  it('oscillating-loss and plateau: from the series of epoch losses', () => {
    const zigzag = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 0.9 : 0.5));
    const flat = Array.from({ length: 12 }, (_, i) => 0.6931 + i * 1e-6);
    const falling = Array.from({ length: 12 }, (_, i) => 0.7 * 0.9 ** i);
    const noisyFall = falling.map((v, i) => v * (1 + (i % 2 ? 0.01 : -0.01)));
    expect(isOscillating(zigzag)).toBe(true);
    expect(isPlateau(flat)).toBe(true);
    for (const healthy of [falling, noisyFall]) {
      expect(isOscillating(healthy)).toBe(false);
      expect(isPlateau(healthy)).toBe(false);
    }
    // Too few epochs to judge, and flat at almost 0 is learned, not stuck.
    expect(isOscillating(zigzag.slice(0, 9))).toBe(false);
    expect(isPlateau(flat.map(() => 1e-5))).toBe(false);
    const net = network([{ units: 4, activation: 'relu' }], 4, 'he');
    const data = normalRows(200, 4);
    expect(kinds(net, data, FACTS, zigzag)).toEqual(['oscillating-loss']);
    expect(kinds(net, data, FACTS, flat)).toEqual(['plateau']);
  });
});
