import type { Network } from './network';
import type { FloatArray } from './tensor';

/** What the whole network's check found: the largest errors over every parameter checked. */
export interface GradientCheckResult {
  maxRelativeError: number;
  maxAbsoluteError: number;
  checked: number;
}

/** How one tensor of parameters (a layer's weights or its biases) agreed with finite differences. */
export interface TensorCheck {
  /** Largest |analytic − numeric| / max(1e-8, |analytic| + |numeric|) over the values checked. */
  maxRelativeError: number;
  maxAbsoluteError: number;
  /** Values checked, of how many the tensor has (a large tensor is checked on evenly spaced values). */
  checked: number;
  of: number;
  /** Values whose two gradients differ beyond both tolerances. */
  failed: number;
}

export interface LayerCheck {
  /** 1-based, counting the output layer. */
  layer: number;
  inputs: number;
  units: number;
  activation: string;
  weights: TensorCheck;
  bias: TensorCheck | null;
  passed: boolean;
}

export interface GradientCheckReport {
  layers: LayerCheck[];
  rows: number;
  passed: boolean;
  maxRelativeError: number;
  maxAbsoluteError: number;
  /** Values checked over all layers. */
  checked: number;
}

/**
 * A value's gradient fails only when it is off both relatively and absolutely: a gradient near 0 has a relative
 * error of rounding noise, and a ReLU's kink, crossed by ±h, can put one value's difference quotient off.
 */
export const RELATIVE_TOLERANCE = 1e-5;
export const ABSOLUTE_TOLERANCE = 1e-8;
/** Finite differences need two forward passes a value: a large tensor is checked on this many evenly spaced values. */
export const MAX_CHECKED_PER_TENSOR = 2000;

/**
 * Backpropagation's gradient of the loss on `rows` rows against central finite differences, (L(θ+h) − L(θ−h)) / 2h,
 * layer by layer. Use a float64 network: in float32 the rounding of L swamps the difference being measured.
 * The parameters are left as they were.
 */
export function checkGradientsByLayer(
  network: Network, x: FloatArray, y: FloatArray, rows: number, options: { h?: number; maxPerTensor?: number } = {},
): GradientCheckReport {
  const steps = gradientCheckSteps(network, x, y, rows, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Values checked between the pauses of gradientCheckSteps. */
const VALUES_PER_PAUSE = 16;

/**
 * The same check in pauses: the generator yields every few values checked, so that a host can spread a large
 * check over turns of its event loop and keep answering meanwhile; it returns the report.
 */
export function* gradientCheckSteps(
  network: Network, x: FloatArray, y: FloatArray, rows: number, options: { h?: number; maxPerTensor?: number } = {},
): Generator<void, GradientCheckReport> {
  const { h = 1e-5, maxPerTensor = MAX_CHECKED_PER_TENSOR } = options;
  network.ensureCapacity(rows);
  network.forward(x, rows);
  network.backward(x, y, rows);
  const loss = (): number => {
    network.forward(x, rows);
    return network.lossValue(y, rows);
  };
  const check = function* (values: FloatArray, grads: FloatArray): Generator<void, TensorCheck> {
    const analytic = Float64Array.from(grads);
    const stride = Math.max(1, values.length / maxPerTensor);
    const result: TensorCheck = { maxRelativeError: 0, maxAbsoluteError: 0, checked: 0, of: values.length, failed: 0 };
    for (let k = 0; k < Math.min(values.length, maxPerTensor); k++) {
      const i = Math.floor(k * stride);
      const original = values[i]!;
      values[i] = original + h;
      const plus = loss();
      values[i] = original - h;
      const minus = loss();
      values[i] = original;
      const numeric = (plus - minus) / (2 * h);
      const absolute = Math.abs(analytic[i]! - numeric);
      const relative = absolute / Math.max(1e-8, Math.abs(analytic[i]!) + Math.abs(numeric));
      result.maxAbsoluteError = Math.max(result.maxAbsoluteError, absolute);
      result.maxRelativeError = Math.max(result.maxRelativeError, relative);
      if (relative > RELATIVE_TOLERANCE && absolute > ABSOLUTE_TOLERANCE) result.failed++;
      result.checked++;
      if (result.checked % VALUES_PER_PAUSE === 0) yield;
    }
    return result;
  };
  const layers: LayerCheck[] = [];
  for (const [index, layer] of network.layers.entries()) {
    const weights = yield* check(layer.weights, layer.gradWeights);
    const bias = layer.bias && layer.gradBias ? yield* check(layer.bias, layer.gradBias) : null;
    layers.push({
      layer: index + 1, inputs: layer.inputs, units: layer.units, activation: layer.act.name, weights, bias,
      passed: weights.failed === 0 && (bias?.failed ?? 0) === 0,
    });
  }
  const tensors = layers.flatMap((l) => (l.bias ? [l.weights, l.bias] : [l.weights]));
  return {
    layers,
    rows,
    passed: layers.every((l) => l.passed),
    maxRelativeError: Math.max(...tensors.map((t) => t.maxRelativeError)),
    maxAbsoluteError: Math.max(...tensors.map((t) => t.maxAbsoluteError)),
    checked: tensors.reduce((sum, t) => sum + t.checked, 0),
  };
}

/** Every parameter of the network checked (engine tests use it on small networks). */
export function gradientCheck(network: Network, x: FloatArray, y: FloatArray, rows: number, h = 1e-5): GradientCheckResult {
  const { maxRelativeError, maxAbsoluteError, checked } = checkGradientsByLayer(network, x, y, rows, { h, maxPerTensor: Infinity });
  return { maxRelativeError, maxAbsoluteError, checked };
}
