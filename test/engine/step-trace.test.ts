import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIMIZER, Network, Random, referenceKernels, Trainer,
  type NetworkSpec, type OptimizerSettings, type Split, type TrainingData,
} from '../../engine';
import { traceStep, TRACE_SLICE, type ParameterTrace, type StepTrace } from '../../engine/step-trace';
import { testConfig } from '../support/train-config';

/** Ten inputs into twelve units: wider than a traced slice, so the corner and the whole differ. */
const SPEC: NetworkSpec = {
  inputs: 10, layers: [{ units: 12, activation: 'tanh' }, { units: 3, activation: 'softmax' }], bias: true, loss: 'softmax_ce', init: 'glorot',
};

/** Three classes by the sign pattern of two of ten noisy inputs. */
function classes(rows: number, seed: number, precision: 'float32' | 'float64'): Split {
  const rng = new Random(seed);
  const make = (n: number) => (precision === 'float64' ? new Float64Array(n) : new Float32Array(n));
  const x = make(rows * SPEC.inputs);
  const y = make(rows * 3);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < SPEC.inputs; j++) x[r * SPEC.inputs + j] = rng.normal();
    const k = x[r * SPEC.inputs]! > 0 ? 0 : x[r * SPEC.inputs + 1]! > 0 ? 1 : 2;
    y[r * 3 + k] = 1;
  }
  const source = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) source[r] = 2 * r + 5;
  return { x, y, rows, source };
}

function trainer(optimizer: Partial<OptimizerSettings>, precision: 'float32' | 'float64' = 'float32', warmup = 0): Trainer {
  const data: TrainingData = { train: classes(40, 3, precision), metric: { kind: 'classification' } };
  const config = testConfig({ epochs: 50, batchSize: 9, learningRate: 0.05, optimizer: { ...DEFAULT_OPTIMIZER, ...optimizer }, seed: 11 });
  const t = new Trainer(SPEC, data, config, { precision, kernels: referenceKernels });
  // Steps before the traced one give the optimiser's moments values to show.
  for (let i = 0; i < warmup; i++) t.step();
  return t;
}

function traced(t: Trainer): StepTrace {
  const trace = traceStep(t, (watch) => t.step(watch));
  expect(trace).not.toBeNull();
  return trace!;
}

/** Every parameter of every layer, with its name and whether L2 applies to it. */
function parameters(trace: StepTrace): { name: string; p: ParameterTrace; decay: boolean }[] {
  return trace.layers.flatMap((layer) => [
    { name: `W${layer.layer}`, p: layer.weights, decay: true },
    ...(layer.bias ? [{ name: `b${layer.layer}`, p: layer.bias, decay: false }] : []),
  ]);
}

const moment = (p: ParameterTrace, name: string, when: 'before' | 'after'): number[] => p.moments.find((m) => m.name === name)![when].values;

/** The whole of a network's parameter p (W or b of a layer) as a matrix trace would show it, and all of it. */
function flat(network: Network, layer: number, which: 'weights' | 'bias'): Float32Array | Float64Array {
  return which === 'weights' ? network.layers[layer]!.weights : network.layers[layer]!.bias!;
}

describe('a traced step', () => {
  it('with SGD: W before − lr·dW is W after, exactly, for every cell shown, and the network holds W after', () => {
    const t = trainer({ name: 'sgd' }, 'float32', 2);
    const trace = traced(t);
    expect(trace.step).toBe(3);
    expect(trace.t).toBe(3);
    for (const { p } of parameters(trace)) {
      expect(p.moments).toEqual([]);
      p.before.values.forEach((w, i) => expect(p.after.values[i]).toBe(Math.fround(w - trace.learningRate * p.gradient.values[i]!)));
      // The update moved something: the check compares numbers that differ.
      expect(p.after.values).not.toEqual(p.before.values);
    }
    trace.layers.forEach((layer, l) => {
      const w = t.network.layers[l]!.weights;
      expect(layer.weights.after.values).toEqual(corner(w, layer.inputs, layer.units));
    });
  });

  it('with SGD and L2: the rule adds λ·W to the weights’ gradient, not to the biases’', () => {
    const l2 = 0.01;
    const trace = traced(trainer({ name: 'sgd', l2 }, 'float32', 1));
    for (const { p, decay } of parameters(trace)) {
      const lambda = decay ? l2 : 0;
      p.before.values.forEach((w, i) => expect(p.after.values[i]).toBe(Math.fround(w - trace.learningRate * (p.gradient.values[i]! + lambda * w))));
    }
  });

  it('with momentum and Nesterov: the shown velocity reproduces W after exactly', () => {
    for (const name of ['momentum', 'nesterov'] as const) {
      const trace = traced(trainer({ name, momentum: 0.9 }, 'float32', 3));
      expect(trace.optimizer).toMatchObject({ name, momentum: 0.9 });
      for (const { p } of parameters(trace)) {
        const before = moment(p, 'velocity', 'before');
        const after = moment(p, 'velocity', 'after');
        expect(before.some((v) => v !== 0)).toBe(true);
        p.before.values.forEach((w, i) => {
          const g = p.gradient.values[i]!;
          expect(after[i]).toBe(Math.fround(0.9 * before[i]! + g));
          const step = name === 'momentum' ? after[i]! : g + 0.9 * after[i]!;
          expect(p.after.values[i]).toBe(Math.fround(w - trace.learningRate * step));
        });
      }
    }
  });

  it('with Adam: m, v and t reproduce W after exactly', () => {
    const { beta1, beta2, epsilon } = DEFAULT_OPTIMIZER;
    const trace = traced(trainer({ name: 'adam' }, 'float32', 4));
    expect(trace.t).toBe(5);
    const c1 = 1 - Math.pow(beta1, trace.t);
    const c2 = 1 - Math.pow(beta2, trace.t);
    for (const { p } of parameters(trace)) {
      const [m0, m1, v0, v1] = [moment(p, 'm', 'before'), moment(p, 'm', 'after'), moment(p, 'v', 'before'), moment(p, 'v', 'after')];
      p.before.values.forEach((w, i) => {
        const g = p.gradient.values[i]!;
        expect(m1[i]).toBe(Math.fround(beta1 * m0[i]! + (1 - beta1) * g));
        expect(v1[i]).toBe(Math.fround(beta2 * v0[i]! + (1 - beta2) * g * g));
        expect(p.after.values[i]).toBe(Math.fround(w - (trace.learningRate * (m1[i]! / c1)) / (Math.sqrt(v1[i]! / c2) + epsilon)));
      });
    }
  });

  it('records the network’s own forward and backward pass for the batch: Z, A, dA, dZ and dW as a twin computes them', () => {
    const t = trainer({ name: 'sgd' }, 'float32', 1);
    const weights = new Float32Array(t.network.parameterCount);
    t.network.copyParametersTo(weights);
    const trace = traced(t);
    const { x, y } = batchOf(t.data.train, trace.trainingRows);
    const twin = new Network(SPEC, 'float32', trace.batchRows, referenceKernels);
    twin.copyParametersFrom(weights);
    twin.forward(x, trace.batchRows);
    expect(trace.loss).toBe(twin.lossValue(y, trace.batchRows));
    twin.backward(x, y, trace.batchRows);
    trace.layers.forEach((layer, l) => {
      const own = twin.layers[l]!;
      expect(layer.input.values).toEqual(corner(l === 0 ? x : twin.layers[l - 1]!.a, trace.batchRows, layer.inputs));
      expect(layer.z.values).toEqual(corner(own.z, trace.batchRows, layer.units));
      expect(layer.a.values).toEqual(corner(own.a, trace.batchRows, layer.units));
      expect(layer.dz.values).toEqual(corner(own.dz, trace.batchRows, layer.units));
      if (l < trace.layers.length - 1) expect(layer.da!.values).toEqual(corner(own.da, trace.batchRows, layer.units));
      else expect(layer.da).toBeNull();
      expect(layer.weights.gradient.values).toEqual(corner(own.gradWeights, layer.inputs, layer.units));
      expect(layer.bias!.gradient.values).toEqual(corner(own.gradBias!, 1, layer.units));
      expect(layer.weights.before.values).toEqual(corner(flat(twin, l, 'weights'), layer.inputs, layer.units));
    });
  });

  it('gives dW and db that central finite differences of the batch loss confirm (float64)', () => {
    const t = trainer({ name: 'sgd' }, 'float64', 1);
    const weights = new Float64Array(t.network.parameterCount);
    t.network.copyParametersTo(weights);
    const trace = traced(t);
    const { x, y } = batchOf(t.data.train, trace.trainingRows, 'float64');
    const twin = new Network(SPEC, 'float64', trace.batchRows, referenceKernels);
    const lossWith = (change: (n: Network) => void) => {
      twin.copyParametersFrom(weights);
      change(twin);
      twin.forward(x, trace.batchRows);
      return twin.lossValue(y, trace.batchRows);
    };
    const h = 1e-6;
    let compared = 0;
    trace.layers.forEach((layer, l) => {
      for (const which of ['weights', 'bias'] as const) {
        const shown = which === 'weights' ? layer.weights : layer.bias!;
        const cols = layer.units;
        for (let r = 0; r < shown.gradient.shownRows; r++) {
          for (let c = 0; c < shown.gradient.shownCols; c++) {
            const at = r * cols + c;
            const plus = lossWith((n) => { flat(n, l, which)[at]! += h; });
            const minus = lossWith((n) => { flat(n, l, which)[at]! -= h; });
            const numeric = (plus - minus) / (2 * h);
            const analytic = shown.gradient.values[r * shown.gradient.shownCols + c]!;
            expect(Math.abs(analytic - numeric)).toBeLessThan(1e-7 + 1e-5 * Math.abs(numeric));
            compared++;
          }
        }
      }
    });
    expect(compared).toBe(8 * 8 + 8 + 8 * 3 + 3);
  });

  it('shows the top-left corner of a large matrix with the statistics of all of it', () => {
    const t = trainer({ name: 'sgd' }, 'float32', 1);
    const trace = traced(t);
    const first = trace.layers[0]!;
    expect(first.weights.after).toMatchObject({ rows: 10, cols: 12, shownRows: TRACE_SLICE, shownCols: TRACE_SLICE });
    expect(first.weights.after.values).toHaveLength(64);
    expect(first.input).toMatchObject({ rows: 9, cols: 10, shownRows: 8, shownCols: 8 });
    const w = Array.from(t.network.layers[0]!.weights);
    const { summary } = first.weights.after;
    expect(summary.min).toBe(Math.min(...w));
    expect(summary.max).toBe(Math.max(...w));
    expect(summary.mean).toBeCloseTo(w.reduce((s, v) => s + v, 0) / w.length, 12);
    expect(summary.norm).toBeCloseTo(Math.sqrt(w.reduce((s, v) => s + v * v, 0)), 12);
  });

  it('names the rows of the batch as places in the training split and as data rows of the file', () => {
    const t = trainer({ name: 'sgd' }, 'float32', 1);
    const trace = traced(t);
    expect(trace.trainingRows).toHaveLength(9);
    expect(new Set(trace.trainingRows).size).toBe(9);
    expect(trace.fileRows).toEqual(trace.trainingRows.map((i) => 2 * i + 5 + 1));
    // The rows listed are the rows the first layer read.
    const { x } = batchOf(t.data.train, trace.trainingRows);
    expect(trace.layers[0]!.input.values).toEqual(corner(x, 9, 10));
  });

  it('records nothing for a trainer that has ended', () => {
    const data: TrainingData = { train: classes(12, 3, 'float32'), metric: { kind: 'classification' } };
    const t = new Trainer(SPEC, data, testConfig({ epochs: 1, batchSize: 12 }), { kernels: referenceKernels });
    t.run();
    expect(traceStep(t, (watch) => t.step(watch))).toBeNull();
  });
});

/** The top-left TRACE_SLICE corner of a rows × cols matrix, as the trace shows it. */
function corner(values: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < Math.min(rows, TRACE_SLICE); r++) for (let c = 0; c < Math.min(cols, TRACE_SLICE); c++) out.push(values[r * cols + c]!);
  return out;
}

/** The batch of these training rows, in their order. */
function batchOf(split: Split, rows: number[], precision: 'float32' | 'float64' = 'float32'): { x: Float32Array | Float64Array; y: Float32Array | Float64Array } {
  const make = (n: number) => (precision === 'float64' ? new Float64Array(n) : new Float32Array(n));
  const x = make(rows.length * SPEC.inputs);
  const y = make(rows.length * 3);
  rows.forEach((row, r) => {
    x.set(split.x.subarray(row * SPEC.inputs, (row + 1) * SPEC.inputs), r * SPEC.inputs);
    y.set(split.y.subarray(row * 3, (row + 1) * 3), r * 3);
  });
  return { x, y };
}
