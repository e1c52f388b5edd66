import type { Network } from './network';
import type { FloatArray } from './tensor';

export interface GradientCheckResult {
  /** Largest |analytic − numeric| / max(1e-8, |analytic| + |numeric|) over every parameter. */
  maxRelativeError: number;
  /** Largest absolute difference. */
  maxAbsoluteError: number;
  checked: number;
}

/**
 * Compares backpropagation with central finite differences, (L(θ+h) − L(θ−h)) / 2h, for every parameter.
 * Use a float64 network: in float32 the rounding of L swamps the difference being measured.
 */
export function gradientCheck(network: Network, x: FloatArray, y: FloatArray, rows: number, h = 1e-5): GradientCheckResult {
  network.ensureCapacity(rows);
  network.forward(x, rows);
  network.backward(x, y, rows);
  const params = network.parameters();
  const analytic = params.map((p) => Float64Array.from(p.grads));
  let maxRelativeError = 0;
  let maxAbsoluteError = 0;
  let checked = 0;
  params.forEach((p, index) => {
    for (let i = 0; i < p.values.length; i++) {
      const original = p.values[i]!;
      p.values[i] = original + h;
      network.forward(x, rows);
      const plus = network.lossValue(y, rows);
      p.values[i] = original - h;
      network.forward(x, rows);
      const minus = network.lossValue(y, rows);
      p.values[i] = original;
      const numeric = (plus - minus) / (2 * h);
      const exact = analytic[index]![i]!;
      const absolute = Math.abs(exact - numeric);
      maxAbsoluteError = Math.max(maxAbsoluteError, absolute);
      maxRelativeError = Math.max(maxRelativeError, absolute / Math.max(1e-8, Math.abs(exact) + Math.abs(numeric)));
      checked++;
    }
  });
  return { maxRelativeError, maxAbsoluteError, checked };
}
