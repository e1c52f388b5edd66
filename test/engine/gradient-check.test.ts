import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS, checkGradientsByLayer, gradientCheck, Network, Random, type ActivationName, type LossName, type NetworkSpec,
} from '../../engine';

const HIDDEN: ActivationName[] = ACTIVATIONS.filter((a) => a !== 'softmax');
/** Every output activation with every loss it can be paired with. */
const HEADS: { output: ActivationName; loss: LossName; units: number }[] = [
  ...ACTIVATIONS.filter((a) => a !== 'softmax').flatMap((output) => [
    { output, loss: 'sse' as const, units: 2 },
    { output, loss: 'mse' as const, units: 2 },
  ]),
  { output: 'softmax', loss: 'sse', units: 3 },
  { output: 'softmax', loss: 'mse', units: 3 },
  { output: 'sigmoid', loss: 'bce', units: 1 },
  { output: 'sigmoid', loss: 'bce', units: 3 },
  { output: 'softmax', loss: 'softmax_ce', units: 3 },
];

function randomData(rng: Random, rows: number, inputs: number, outputs: number, loss: LossName) {
  const x = Float64Array.from({ length: rows * inputs }, () => rng.normal());
  const y = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    if (loss === 'softmax_ce') y[r * outputs + rng.below(outputs)] = 1;
    else for (let j = 0; j < outputs; j++) y[r * outputs + j] = loss === 'bce' ? rng.below(2) : rng.normal();
  }
  return { x, y };
}

describe('backpropagation matches finite differences', () => {
  for (const hidden of HIDDEN) {
    for (const head of HEADS) {
      for (const bias of [true, false]) {
        it(`hidden ${hidden}, output ${head.output} × ${head.units}, loss ${head.loss}, ${bias ? 'with' : 'no'} bias`, () => {
          const spec: NetworkSpec = {
            inputs: 3,
            layers: [
              { units: 5, activation: hidden },
              { units: 4, activation: hidden },
              { units: head.units, activation: head.output },
            ],
            bias,
            loss: head.loss,
            init: 'glorot',
          };
          const rng = new Random(42);
          const network = new Network(spec, 'float64', 6);
          network.initialize(rng);
          // Non-zero biases so that the bias gradients are exercised away from the start point.
          for (const layer of network.layers) layer.bias?.forEach((_, i, b) => { b[i] = 0.1 * rng.normal(); });
          const { x, y } = randomData(rng, 6, 3, head.units, head.loss);
          const result = gradientCheck(network, x, y, 6);
          expect(result.checked).toBe(network.parameterCount);
          expect(result.maxRelativeError).toBeLessThan(1e-6);
        });
      }
    }
  }

  // Each row weighed by its target's class (per-row weights for targets that are not classes): the weighted loss's gradients too.
  for (const head of HEADS) {
    for (const precision of ['float64', 'float32'] as const) {
      it(`with class weights: output ${head.output} × ${head.units}, loss ${head.loss}, ${precision}`, () => {
        const spec: NetworkSpec = {
          inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: head.units, activation: head.output }], bias: true, loss: head.loss, init: 'glorot',
        };
        const rng = new Random(7);
        const network = new Network(spec, 'float64', 6);
        network.initialize(rng);
        const { x, y } = randomData(rng, 6, 3, head.units, head.loss);
        const weights = Array.from({ length: Math.max(2, head.units) }, (_, c) => 0.25 + 1.5 * c);
        network.setClassWeights(weights);
        const result = gradientCheck(network, x, y, 6);
        expect(result.maxRelativeError).toBeLessThan(1e-6);
        // The same gradients in float32, to float32's precision: the weights reach every kernel alike.
        const single = new Network(spec, precision, 6);
        single.copyParametersFrom(Float64Array.from(network.parameters().flatMap((p) => Array.from(p.values))));
        single.setClassWeights(weights);
        const [x1, y1] = precision === 'float32' ? [Float32Array.from(x), Float32Array.from(y)] : [x, y];
        single.forward(x1, 6);
        single.backward(x1, y1, 6);
        network.forward(x, 6);
        network.backward(x, y, 6);
        const grads = (n: Network) => n.parameters().flatMap((p) => Array.from(p.grads));
        const reference = grads(network);
        grads(single).forEach((g, i) => expect(Math.abs(g - reference[i]!)).toBeLessThan(precision === 'float32' ? 1e-5 : 1e-12));
        // And the weights matter: without them the gradients differ.
        network.setClassWeights(null);
        network.forward(x, 6);
        network.backward(x, y, 6);
        expect(grads(network)).not.toEqual(reference);
      });
    }
  }

  it('catches a wrong derivative', () => {
    const spec: NetworkSpec = { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'linear' }], bias: true, loss: 'mse', init: 'glorot' };
    const network = new Network(spec, 'float64', 4);
    network.initialize(new Random(1));
    const hiddenLayer = network.layers[0]!;
    const honest = hiddenLayer.act.backward;
    // Break tanh's derivative by a factor of two: the check must notice.
    (hiddenLayer as { act: typeof hiddenLayer.act }).act = {
      ...hiddenLayer.act,
      backward: (z, a, da, dz, rows, cols) => { honest(z, a, da, dz, rows, cols); for (let i = 0; i < rows * cols; i++) dz[i]! *= 2; },
    };
    const rng = new Random(3);
    const { x, y } = randomData(rng, 4, 2, 1, 'mse');
    expect(gradientCheck(network, x, y, 4).maxRelativeError).toBeGreaterThan(0.1);
    // Layer by layer, the check names the layer whose derivative is wrong; the output layer's gradients still agree.
    const report = checkGradientsByLayer(network, x, y, 4);
    expect(report.passed).toBe(false);
    expect(report.layers.map((l) => l.passed)).toEqual([false, true]);
    expect(report.layers[0]!.weights.failed).toBeGreaterThan(0);
    expect(report.layers[0]!.bias!.failed).toBe(3);
    expect(report.layers[1]!.weights.maxRelativeError).toBeLessThan(1e-7);
  });

  it('checks a large tensor on evenly spaced values, leaving every parameter as it was', () => {
    const spec: NetworkSpec = { inputs: 30, layers: [{ units: 100, activation: 'sigmoid' }, { units: 2, activation: 'softmax' }], bias: true, loss: 'softmax_ce', init: 'glorot' };
    const network = new Network(spec, 'float64', 5);
    network.initialize(new Random(2));
    const before = new Float64Array(network.parameterCount);
    network.copyParametersTo(before);
    const { x, y } = randomData(new Random(4), 5, 30, 2, 'softmax_ce');
    const report = checkGradientsByLayer(network, x, y, 5, { maxPerTensor: 500 });
    expect(report.passed).toBe(true);
    expect(report.layers.map((l) => [l.weights.checked, l.weights.of, l.bias!.checked, l.bias!.of])).toEqual([[500, 3000, 100, 100], [200, 200, 2, 2]]);
    expect(report.checked).toBe(500 + 100 + 200 + 2);
    const after = new Float64Array(network.parameterCount);
    network.copyParametersTo(after);
    expect(after).toEqual(before);
  });
});
