import { describe, expect, it } from 'vitest';
import {
  activation, ACTIVATIONS, createWasmKernels, DEFAULT_KERNEL_SET, defaultKernels, fmaFusesHere, kernelsOf, Network, Random,
  referenceKernels, Trainer, wasmFmaAvailable, wasmSimdAvailable, type ActivationName, type FloatArray, type Kernels, type NetworkSpec, type Split,
} from '../../engine';
import * as R from '../../engine/kernels/reference';
import { testConfig } from '../support/train-config';

/** Every size the issue lists: vector widths (4, 8) and the 4×8 tile, on both sides of each. */
const SIZES = [1, 2, 3, 5, 7, 15, 16, 17, 31, 33, 64, 127, 129];
const SENTINEL = 12345.5;

function filled(length: number, extra: number, fill: number, rng: Random): Float32Array {
  const out = new Float32Array(length + extra);
  for (let i = 0; i < length; i++) out[i] = rng.normal();
  out.fill(fill, length);
  return out;
}

const abs = (x: Float32Array): Float32Array => x.map(Math.abs);

/**
 * Float32 results summed in another order differ by at most about k·2⁻²³ times Σ|a·b| (the sum of the products'
 * magnitudes), computed here with the reference on |a| and |b|. A wrong index is off by O(|a·b|), far above.
 */
function expectClose(actual: FloatArray, expected: FloatArray, magnitude: FloatArray, k: number, length: number): void {
  let worst = 0;
  for (let i = 0; i < length; i++) {
    const bound = (k + 2) * 2 ** -23 * 2 * magnitude[i]! + 1e-30;
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / bound);
  }
  expect(worst).toBeLessThanOrEqual(1);
  for (let i = length; i < actual.length; i++) expect(actual[i]).toBe(SENTINEL);
}

type Product = 'matmul' | 'matmulTransA' | 'matmulTransB';
/** Element counts of a, b for each product's layout. */
const shapes: Record<Product, (m: number, k: number, n: number) => [number, number]> = {
  matmul: (m, k, n) => [m * k, k * n],
  matmulTransA: (m, k, n) => [k * m, k * n],
  matmulTransB: (m, k, n) => [m * k, n * k],
};

const linear = activation('linear');
type ProductCall = (kernels: Kernels, a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number) => void;
/**
 * Each product as the layer routine that computes it in WebAssembly: x·w is the forward pass (with no bias
 * and the identity activation), xᵀ·dz the weight gradient, dz·wᵀ the input gradient.
 */
const viaLayer: Record<Product, ProductCall> = {
  matmul: (kernels, a, b, c, m, k, n) => kernels.denseForward(a, b, null, c, new Float32Array(m * n), m, k, n, linear),
  matmulTransA: (kernels, a, b, c, m, k, n) => kernels.denseBackward(a, new Float32Array(0), b, c, null, null, k, m, n),
  matmulTransB: (kernels, a, b, c, m, k, n) =>
    kernels.denseBackward(new Float32Array(m * n), b, a, new Float32Array(n * k), null, c, m, n, k),
};

describe('WebAssembly SIMD kernels', () => {
  it('are available in this Node (relaxed SIMD too, as the tests run with the training worker\'s flags), fused ones chosen by default for networks large enough to gain', () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect(wasmFmaAvailable()).toBe(true);
    expect(kernelsOf(DEFAULT_KERNEL_SET).name).toBe('wasm-fma');
    expect(defaultKernels().name).toBe('wasm-simd');
    expect(defaultKernels(3 * 4 * 4).name).toBe('js-reference');
    expect(kernelsOf('wasm-fma', 3 * 4 * 4).name).toBe('js-reference');
  });

  it('fuse where this processor fuses: then closer to the float64 product than the plain kernels; elsewhere bit for bit the same', () => {
    const rng = new Random(21);
    const [m, k, n] = [37, 301, 29];
    const a = filled(m * k, 0, 0, rng);
    const b = filled(k * n, 0, 0, rng);
    const plain = new Float32Array(m * n);
    const fused = new Float32Array(m * n);
    viaLayer.matmul(createWasmKernels({ minWork: 0 }), a, b, plain, m, k, n);
    viaLayer.matmul(createWasmKernels({ minWork: 0, fma: true }), a, b, fused, m, k, n);
    if (!fmaFusesHere()) {
      expect(Buffer.from(fused.buffer).equals(Buffer.from(plain.buffer))).toBe(true);
      return;
    }
    const exact = new Float64Array(m * n);
    R.matmul(Float64Array.from(a), Float64Array.from(b), exact, m, k, n);
    let plainError = 0;
    let fusedError = 0;
    for (let i = 0; i < m * n; i++) {
      plainError += Math.abs(plain[i]! - exact[i]!);
      fusedError += Math.abs(fused[i]! - exact[i]!);
    }
    expect(Array.from(fused)).not.toEqual(Array.from(plain));
    expect(fusedError).toBeLessThan(plainError);
  });
});

/** Both modules, each forced onto WebAssembly for every shape, however small: the same bounds hold for each. */
for (const fma of [false, true]) {
  const W = createWasmKernels({ minWork: 0, fma });
  const label = fma ? ' (fused multiply-add)' : '';

  describe(`WebAssembly kernels${label}`, () => {
    for (const op of ['matmul', 'matmulTransA', 'matmulTransB'] as const) {
      it(`${op} agrees with the reference on every combination of odd and even sizes, writing nothing past m×n`, () => {
        const rng = new Random(op.length);
        for (const m of SIZES) for (const k of SIZES) for (const n of SIZES) {
          if (m * k * n > 300_000 && (m + k + n) % 3 !== 0) continue; // a third of the largest cases keeps the test quick
          const [aLength, bLength] = shapes[op](m, k, n);
          // NaN past the used entries: any read of them would poison a result
          const a = filled(aLength, 9, Number.NaN, rng);
          const b = filled(bLength, 9, Number.NaN, rng);
          const c = new Float32Array(m * n + 7).fill(SENTINEL);
          const expected = new Float32Array(m * n);
          const magnitude = new Float32Array(m * n);
          viaLayer[op](W, a, b, c, m, k, n);
          R[op](a, b, expected, m, k, n);
          R[op](abs(a.subarray(0, aLength)), abs(b.subarray(0, bLength)), magnitude, m, k, n);
          expectClose(c, expected, magnitude, k, m * n);
        }
      });
    }

    it('overwrite their output, are bit-identical from call to call, and survive the memory growing in between', () => {
      const rng = new Random(7);
      const [m, k, n] = [33, 17, 31];
      const a = filled(m * k, 0, 0, rng);
      const b = filled(k * n, 0, 0, rng);
      const first = new Float32Array(m * n).fill(Number.NaN);
      viaLayer.matmul(W, a, b, first, m, k, n);
      // a much larger product grows the module's memory, which replaces its buffer
      const big = 700;
      viaLayer.matmul(W, new Float32Array(big * big).fill(1), new Float32Array(big * big).fill(1), new Float32Array(big * big), big, big, big);
      const again = new Float32Array(m * n).fill(7);
      viaLayer.matmul(W, a, b, again, m, k, n);
      expect(Buffer.from(again.buffer).equals(Buffer.from(first.buffer))).toBe(true);
      const fresh = createWasmKernels({ minWork: 0, fma });
      const other = new Float32Array(m * n);
      viaLayer.matmul(fresh, a, b, other, m, k, n);
      expect(Buffer.from(other.buffer).equals(Buffer.from(first.buffer))).toBe(true);
    });

    it('send float64 operands and tiny products to the reference, bit for bit, for every routine', () => {
      const rng = new Random(8);
      const defaults = createWasmKernels({ fma });
      const cases = [
        // gradient checks: float64 throughout, whatever the size
        { kernels: W, make: (n: number): FloatArray => new Float64Array(n), rows: 64, inputs: 17, units: 9, parameters: 600 },
        // 3·4·3 multiply-adds, far below the default minimum work, and short arrays for the elementwise routines
        { kernels: defaults, make: (n: number): FloatArray => new Float32Array(n), rows: 3, inputs: 4, units: 3, parameters: 12 },
      ];
      for (const { kernels, make, rows, inputs, units, parameters } of cases) {
        const random = (n: number): FloatArray => make(n).map(() => rng.normal());
        const x = random(rows * inputs);
        const w = random(inputs * units);
        const bias = random(units);
        const dz = random(rows * units);
        for (const name of ACTIVATIONS) {
          const ours = [make(rows * units), make(rows * units)] as const;
          const reference = [make(rows * units), make(rows * units)] as const;
          kernels.denseForward(x, w, bias, ours[0], ours[1], rows, inputs, units, activation(name));
          referenceKernels.denseForward(x, w, bias, reference[0], reference[1], rows, inputs, units, activation(name));
          expect(Array.from(ours[0])).toEqual(Array.from(reference[0]));
          expect(Array.from(ours[1])).toEqual(Array.from(reference[1]));
          const dzOurs = make(rows * units);
          const dzReference = make(rows * units);
          kernels.activationBackward(activation(name), ours[0], ours[1], dz, dzOurs, rows, units);
          referenceKernels.activationBackward(activation(name), reference[0], reference[1], dz, dzReference, rows, units);
          expect(Array.from(dzOurs)).toEqual(Array.from(dzReference));
        }
        const ours = [make(inputs * units), make(units), make(rows * inputs)] as const;
        const reference = [make(inputs * units), make(units), make(rows * inputs)] as const;
        kernels.denseBackward(x, w, dz, ...ours, rows, inputs, units);
        referenceKernels.denseBackward(x, w, dz, ...reference, rows, inputs, units);
        ours.forEach((gradient, i) => expect(Array.from(gradient)).toEqual(Array.from(reference[i]!)));
        const start = random(parameters);
        const grads = random(parameters);
        const values = start.slice();
        const valuesReference = start.slice();
        kernels.sgdUpdate(values, grads, parameters, 0.1, 0.01);
        referenceKernels.sgdUpdate(valuesReference, grads, parameters, 0.1, 0.01);
        expect(Array.from(values)).toEqual(Array.from(valuesReference));
        expect(Array.from(values)).not.toEqual(Array.from(start));
      }
    });
  });

  describe(`fused layer routines${label}`, () => {
    const FUSED: ActivationName[] = ['relu', 'leaky_relu', 'linear'];

    it('denseForward: z = x·w + bias, and a = f(z) for every activation, in JavaScript for those it does not fuse', () => {
      const rng = new Random(11);
      for (const [rows, inputs, units] of [[1, 1, 1], [5, 7, 3], [17, 33, 15], [64, 31, 129], [3, 2, 16]] as const) {
        for (const act of ACTIVATIONS) for (const withBias of [true, false]) {
          const x = filled(rows * inputs, 3, Number.NaN, rng);
          const w = filled(inputs * units, 3, Number.NaN, rng);
          const bias = withBias ? filled(units, 3, Number.NaN, rng) : null;
          const z = new Float32Array(rows * units + 5).fill(SENTINEL);
          const a = new Float32Array(rows * units + 5).fill(SENTINEL);
          W.denseForward(x, w, bias, z, a, rows, inputs, units, activation(act));
          const expectedZ = new Float32Array(rows * units);
          R.matmul(x, w, expectedZ, rows, inputs, units);
          if (bias) R.addBias(expectedZ, bias, rows, units);
          const magnitude = new Float32Array(rows * units);
          R.matmul(abs(x.subarray(0, rows * inputs)), abs(w.subarray(0, inputs * units)), magnitude, rows, inputs, units);
          if (bias) R.addBias(magnitude, abs(bias.subarray(0, units)), rows, units);
          expectClose(z, expectedZ, magnitude, inputs + 1, rows * units);
          // f of the z it returned: within a rounding when the module applies it, bit for bit when JavaScript does
          const expectedA = new Float32Array(rows * units);
          activation(act).forward(z, expectedA, rows, units);
          if (FUSED.includes(act)) {
            expectClose(a, expectedA, new Float32Array(rows * units).fill(1e-30).map((_, i) => Math.abs(expectedA[i]!)), 1, rows * units);
            // the module's leaky slope is 0.01 rounded to float32, so a is not JavaScript's: the module applied f
            if (act === 'leaky_relu' && rows * units > 40) expect(Array.from(a.subarray(0, rows * units))).not.toEqual(Array.from(expectedA));
          } else {
            expect(Array.from(a.subarray(0, rows * units))).toEqual(Array.from(expectedA));
            for (const value of a.subarray(rows * units)) expect(value).toBe(SENTINEL);
          }
        }
      }
    });

    it('denseBackward: weight, bias and input gradients, each optional', () => {
      const rng = new Random(12);
      for (const [rows, inputs, units] of [[1, 1, 1], [5, 7, 3], [17, 33, 15], [64, 31, 129], [32, 30, 64]] as const) {
        for (const withBias of [true, false]) for (const withInput of [true, false]) {
          const x = filled(rows * inputs, 3, Number.NaN, rng);
          const w = filled(inputs * units, 3, Number.NaN, rng);
          const dz = filled(rows * units, 3, Number.NaN, rng);
          const gw = new Float32Array(inputs * units + 3).fill(SENTINEL);
          const gb = withBias ? new Float32Array(units + 3).fill(SENTINEL) : null;
          const dx = withInput ? new Float32Array(rows * inputs + 3).fill(SENTINEL) : null;
          W.denseBackward(x, w, dz, gw, gb, dx, rows, inputs, units);
          const expected = new Float32Array(inputs * units);
          const magnitude = new Float32Array(inputs * units);
          R.matmulTransA(x, dz, expected, inputs, rows, units);
          R.matmulTransA(abs(x.subarray(0, rows * inputs)), abs(dz.subarray(0, rows * units)), magnitude, inputs, rows, units);
          expectClose(gw, expected, magnitude, rows, inputs * units);
          if (gb) {
            const sums = new Float32Array(units);
            R.sumRows(dz, sums, rows, units);
            // the same additions in the same order: bit-identical
            expect(Array.from(gb.subarray(0, units))).toEqual(Array.from(sums));
            for (const value of gb.subarray(units)) expect(value).toBe(SENTINEL);
          }
          if (dx) {
            const expectedDx = new Float32Array(rows * inputs);
            const magnitudeDx = new Float32Array(rows * inputs);
            R.matmulTransB(dz, w, expectedDx, rows, units, inputs);
            R.matmulTransB(abs(dz.subarray(0, rows * units)), abs(w.subarray(0, inputs * units)), magnitudeDx, rows, units, inputs);
            expectClose(dx, expectedDx, magnitudeDx, units, rows * inputs);
          }
        }
      }
    });

    it('activationBackward matches the JavaScript derivatives of every activation (all but leaky ReLU bit for bit)', () => {
      const rng = new Random(13);
      // below 512 values, and for the activations the module does not fuse, the JavaScript runs
      for (const n of [1, 7, 511, 512, 513, 515, 1000, 4099]) {
        for (const act of ACTIVATIONS) {
          const z = filled(n, 3, Number.NaN, rng);
          z[0] = 0;
          if (n > 1) z[1] = -0;
          const a = new Float32Array(n + 3);
          activation(act).forward(z, a, 1, n);
          const da = filled(n, 3, Number.NaN, rng);
          const dz = new Float32Array(n + 3).fill(SENTINEL);
          W.activationBackward(activation(act), z, a, da, dz, 1, n);
          const expected = new Float32Array(n);
          activation(act).backward(z, a, da, expected, 1, n);
          // 0.01 in float32 is not 0.01: the module's leaky slope differs from JavaScript's by a rounding
          if (act === 'leaky_relu' && n >= 512) {
            for (let i = 0; i < n; i++) expect(Math.abs(dz[i]! - expected[i]!)).toBeLessThanOrEqual(Math.abs(expected[i]!) * 2 ** -22);
            // and so the module, not the JavaScript fallback, did the work
            expect(Array.from(dz.subarray(0, n))).not.toEqual(Array.from(expected));
          } else {
            expect(Array.from(dz.subarray(0, n))).toEqual(Array.from(expected));
          }
          for (const value of dz.subarray(n)) expect(value).toBe(SENTINEL);
        }
      }
    });

    it('sgdUpdate: v −= lr·(g + λv) in float32, short arrays in JavaScript bit for bit', () => {
      const rng = new Random(14);
      for (const n of [1, 10, 511, 512, 513, 514, 515, 3001]) for (const lambda of [0, 0.01]) {
        const v = filled(n, 3, SENTINEL, rng);
        const g = filled(n, 3, Number.NaN, rng);
        const expected = Float64Array.from(v.subarray(0, n), (value, i) => value - 0.1 * (g[i]! + lambda * value));
        const reference = v.slice();
        referenceKernels.sgdUpdate(reference, g, n, 0.1, lambda);
        W.sgdUpdate(v, g, n, 0.1, lambda);
        for (let i = 0; i < n; i++) expect(Math.abs(v[i]! - expected[i]!)).toBeLessThanOrEqual(4e-7 * (Math.abs(expected[i]!) + 1));
        // float32 arithmetic in the module, double rounded once in JavaScript: the two differ somewhere
        if (n < 512) expect(Array.from(v)).toEqual(Array.from(reference));
        else expect(Array.from(v)).not.toEqual(Array.from(reference));
        for (const value of v.subarray(n)) expect(value).toBe(SENTINEL);
      }
    });
  });
}

const SPEC: NetworkSpec = {
  inputs: 20,
  layers: [{ units: 48, activation: 'relu' }, { units: 24, activation: 'leaky_relu' }, { units: 4, activation: 'softmax' }],
  bias: true,
  loss: 'softmax_ce',
  init: 'he',
};

/** Four classes told apart by two of 20 features. */
function classes(rows: number, seed: number): Split {
  const rng = new Random(seed);
  const x = new Float32Array(rows * 20);
  const y = new Float32Array(rows * 4);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 20; j++) x[r * 20 + j] = rng.normal();
    const label = (x[r * 20]! + x[r * 20 + 1]! > 0 ? 1 : 0) + (x[r * 20 + 2]! - x[r * 20 + 3]! > 0 ? 2 : 0);
    y[r * 4 + label] = 1;
  }
  return { x, y, rows };
}

describe('training with the WebAssembly kernels', () => {
  /** Every activation somewhere, so each runs through the module or through its JavaScript fallback. */
  const SPECS: NetworkSpec[] = [
    SPEC,
    {
      ...SPEC, layers: [{ units: 48, activation: 'sigmoid' }, { units: 24, activation: 'tanh' }, { units: 4, activation: 'sigmoid' }],
      loss: 'bce', init: 'glorot',
    },
    {
      ...SPEC, layers: [{ units: 48, activation: 'linear' }, { units: 24, activation: 'relu' }, { units: 4, activation: 'linear' }],
      loss: 'mse', init: 'glorot',
    },
  ];
  for (const spec of SPECS) for (const fma of [false, true]) {
    const names = spec.layers.map((layer) => layer.activation).join(', ');
    it(`backpropagation (${names})${fma ? ', fused multiply-add,' : ''} gives the float64 reference gradients within float32 rounding`, () => {
      const data = classes(64, 1);
      const wasmNet = new Network(spec, 'float32', 64, createWasmKernels({ minWork: 0, fma }));
      const exact = new Network(spec, 'float64', 64, referenceKernels);
      wasmNet.initialize(Random.stream(3, 'init'));
      const params = new Float64Array(wasmNet.parameterCount);
      wasmNet.copyParametersTo(params);
      exact.copyParametersFrom(params);
      wasmNet.forward(data.x, 64);
      wasmNet.backward(data.x, data.y, 64);
      exact.forward(Float64Array.from(data.x), 64);
      exact.backward(Float64Array.from(data.x), Float64Array.from(data.y), 64);
      const ours = wasmNet.parameters();
      const truth = exact.parameters();
      let scale = 0;
      for (const p of truth) for (const g of p.grads) scale = Math.max(scale, Math.abs(g));
      ours.forEach((p, i) => {
        for (let j = 0; j < p.grads.length; j++) expect(Math.abs(p.grads[j]! - truth[i]!.grads[j]!)).toBeLessThanOrEqual(1e-5 * scale);
      });
    });
  }

  it('trains like the reference within tolerance, learns, and replays bit for bit', () => {
    const data = { train: classes(600, 2), val: classes(200, 3), metric: { kind: 'classification' as const } };
    const config = testConfig({ epochs: 20, batchSize: 32, learningRate: 0.1, seed: 5 });
    const run = (kernels?: Kernels): Trainer => {
      const trainer = new Trainer(SPEC, data, config, kernels ? { kernels } : {});
      trainer.run();
      return trainer;
    };
    const wasm = run();
    expect(wasm.network.kernels.name).toBe('wasm-fma');
    expect(wasm.kernelSet).toBe('wasm-fma');
    const again = run();
    const reference = run(referenceKernels);
    const weights = (t: Trainer): Float32Array => {
      const out = new Float32Array(t.network.parameterCount);
      t.network.copyParametersTo(out);
      return out;
    };
    expect(Buffer.from(weights(again).buffer).equals(Buffer.from(weights(wasm).buffer))).toBe(true);
    expect(again.history.map((e) => e.train.loss)).toEqual(wasm.history.map((e) => e.train.loss));
    wasm.history.forEach((epoch, i) => {
      expect(Math.abs(epoch.train.loss - reference.history[i]!.train.loss)).toBeLessThanOrEqual(1e-3 * reference.history[i]!.train.loss);
    });
    expect(wasm.history.at(-1)!.val!.accuracy).toBeGreaterThan(0.8);
    expect(wasm.history.at(-1)!.train.loss).toBeLessThan(wasm.history[0]!.train.loss * 0.6);
  });
});
