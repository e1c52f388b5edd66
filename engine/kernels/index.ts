import { referenceKernels } from './reference';
import type { Kernels } from './types';
import { createWasmKernels, DEFAULT_MIN_WORK, wasmSimdAvailable } from './wasm-kernels';

export { createWasmKernels, wasmSimdAvailable, type WasmKernelOptions } from './wasm-kernels';

let chosen: Kernels | undefined;

/**
 * The two kernel sets a run can train with. They agree to about the sixth significant digit, not bit for bit
 * (WebAssembly sums in another order), so a run replays exactly only with the set that trained it: 'wasm' is
 * the WebAssembly SIMD kernels (with the JavaScript reference for tiny products, as defaultKernels chooses),
 * 'js' the JavaScript reference alone.
 */
export const KERNEL_SETS = ['wasm', 'js'] as const;
export type KernelSet = (typeof KERNEL_SETS)[number];

/**
 * The kernels training uses unless told otherwise: WebAssembly SIMD where this JavaScript engine can
 * compile it (Node, Electron, every current browser), else the JavaScript reference (for instance under a
 * content security policy that forbids compiling WebAssembly). Chosen once per thread and shared: every call
 * is synchronous and the SIMD kernels keep no state between calls but scratch memory, so sharing is safe,
 * and one kernel choice gives bit-identical runs. `largestProduct` (rows·inputs·units of a network's largest
 * layer) lets a tiny network keep the JavaScript reference, which is faster there.
 */
export function defaultKernels(largestProduct = Infinity): Kernels {
  // A network whose every product is tiny (the seed's XOR) gains nothing from copying into WebAssembly.
  if (largestProduct < DEFAULT_MIN_WORK) return referenceKernels;
  if (!chosen) {
    try {
      chosen = wasmSimdAvailable() ? createWasmKernels() : referenceKernels;
    } catch {
      chosen = referenceKernels;
    }
  }
  return chosen;
}

/** The kernels of a set for a network whose largest product is `largestProduct`; 'wasm' falls back to JavaScript where it cannot run. */
export function kernelsOf(set: KernelSet, largestProduct = Infinity): Kernels {
  return set === 'js' ? referenceKernels : defaultKernels(largestProduct);
}

/** Which set these kernels belong to: what a run records as having trained it. */
export function kernelSetOf(kernels: Kernels): KernelSet {
  return kernels === referenceKernels ? 'js' : 'wasm';
}

/** Whether the WebAssembly kernels can run in this thread (a run asking for them trains with JavaScript otherwise). */
export function wasmKernelsRun(): boolean {
  return defaultKernels() !== referenceKernels;
}
