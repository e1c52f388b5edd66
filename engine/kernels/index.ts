import { referenceKernels } from './reference';
import type { Kernels } from './types';
import { createWasmKernels, DEFAULT_MIN_WORK, wasmFmaAvailable, wasmSimdAvailable } from './wasm-kernels';

export { createWasmKernels, fmaFusesHere, wasmFmaAvailable, wasmSimdAvailable, type WasmKernelOptions } from './wasm-kernels';

/**
 * The kernel sets a run can train with. They agree to about the sixth significant digit, not bit for bit (they
 * sum in other orders, or round a multiply-add once instead of twice), so a run replays exactly only with the set
 * that trained it: 'wasm' is the WebAssembly SIMD kernels (with the JavaScript reference for tiny products, as
 * kernelsOf chooses), 'js' the JavaScript reference alone, 'wasm-fma' the WebAssembly kernels whose matrix
 * products fuse each multiply and add (relaxed SIMD), where this engine has it.
 */
export const KERNEL_SETS = ['wasm', 'js', 'wasm-fma'] as const;
export type KernelSet = (typeof KERNEL_SETS)[number];

/** What a new run asks for: the fastest set; kernelsOf falls back, one set at a time, where it cannot run. */
export const DEFAULT_KERNEL_SET: KernelSet = 'wasm-fma';

/** Each WebAssembly set is compiled once per thread and shared: every call is synchronous and keeps no state but scratch memory. */
const compiled = new Map<'wasm' | 'wasm-fma', Kernels | null>();

function wasmKernels(set: 'wasm' | 'wasm-fma'): Kernels | null {
  if (!compiled.has(set)) {
    const fma = set === 'wasm-fma';
    let kernels: Kernels | null = null;
    try {
      if (fma ? wasmFmaAvailable() : wasmSimdAvailable()) kernels = createWasmKernels({ fma });
    } catch {
      kernels = null;
    }
    compiled.set(set, kernels);
  }
  return compiled.get(set)!;
}

/**
 * The kernels of a set for a network whose largest product (rows·inputs·units of its largest layer) is
 * `largestProduct`. A network whose every product is tiny (the seed's XOR) keeps the JavaScript reference, which
 * is faster there than copying into WebAssembly. Where a set cannot run it falls back: 'wasm-fma' to 'wasm' (no
 * relaxed SIMD), 'wasm' to 'js' (no WebAssembly SIMD, as under a content security policy that forbids compiling it).
 */
export function kernelsOf(set: KernelSet, largestProduct = Infinity): Kernels {
  if (set === 'js' || largestProduct < DEFAULT_MIN_WORK) return referenceKernels;
  return (set === 'wasm-fma' ? wasmKernels('wasm-fma') : null) ?? wasmKernels('wasm') ?? referenceKernels;
}

/** The plain WebAssembly SIMD kernels where they run (the 'wasm' set), for a network whose largest product is `largestProduct`. */
export function defaultKernels(largestProduct = Infinity): Kernels {
  return kernelsOf('wasm', largestProduct);
}

/** Which set these kernels belong to: what a run records as having trained it. */
export function kernelSetOf(kernels: Kernels): KernelSet {
  if (kernels === referenceKernels) return 'js';
  return kernels.name === 'wasm-fma' ? 'wasm-fma' : 'wasm';
}

/** Whether a set's own kernels can run in this thread (a run asking for them falls back otherwise). */
export function kernelSetRuns(set: KernelSet): boolean {
  return set === 'js' || wasmKernels(set) !== null;
}
