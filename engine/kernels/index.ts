import { referenceKernels } from './reference';
import type { Kernels } from './types';
import { createWasmKernels, DEFAULT_MIN_WORK, wasmSimdAvailable } from './wasm-kernels';

export { createWasmKernels, wasmSimdAvailable, type WasmKernelOptions } from './wasm-kernels';

let chosen: Kernels | undefined;

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
