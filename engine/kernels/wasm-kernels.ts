import { LEAKY_SLOPE, type ActivationName } from '../activations';
import type { FloatArray } from '../tensor';
import { referenceKernels } from './reference';
import type { Kernels } from './types';
import { KERNELS_WASM, KERNELS_WASM_FMA } from './wasm-binary.generated';

/*
 * The engine is compiled without DOM or Node types, so the little of the global WebAssembly API used here
 * is described locally and reached through globalThis: nothing is declared globally, nothing is imported.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
/** `slope` is leaky ReLU's, passed in so that the module has no copy of LEAKY_SLOPE. */
interface KernelExports {
  memory: WasmMemory;
  dense_forward(x: number, w: number, bias: number, z: number, a: number, rows: number, inputs: number, units: number,
    act: number, slope: number, packed: number, tmp: number): void;
  dense_backward(x: number, w: number, dz: number, gw: number, gb: number, dx: number, rows: number, inputs: number, units: number,
    packed: number, tmp: number): void;
  sgd(values: number, grads: number, n: number, lr: number, lambda: number): void;
  act_backward(act: number, slope: number, z: number, da: number, dz: number, n: number): void;
  madd_probe(c: number, t: number, b: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

function compiles(bytes: Uint8Array): boolean {
  try {
    return wasmApi()?.validate(bytes) === true;
  } catch {
    return false;
  }
}

/** True when this JavaScript engine can compile the SIMD kernels (WebAssembly with 128-bit SIMD). */
export function wasmSimdAvailable(): boolean {
  return compiles(KERNELS_WASM);
}

/**
 * True when it can also compile relaxed SIMD, and so the fused multiply-add kernels: on by default in Electron,
 * behind --experimental-wasm-relaxed-simd in Node 20 (which nnlab gives the processes it starts).
 */
export function wasmFmaAvailable(): boolean {
  return compiles(KERNELS_WASM_FMA);
}

/**
 * Whether relaxed_madd really rounds once here: (1 + 2⁻¹³)·(1 − 2⁻¹³) − 1 is −2⁻²⁶ fused, 0 when the product is
 * rounded to float32 first. False where relaxed SIMD is missing.
 */
export function fmaFusesHere(): boolean {
  const api = wasmApi();
  if (!api || !wasmFmaAvailable()) return false;
  const probe = (new api.Instance(new api.Module(KERNELS_WASM_FMA), {}).exports as KernelExports).madd_probe;
  return probe(-1, 1 + 2 ** -13, 1 - 2 ** -13) !== 0;
}

/**
 * Products with fewer multiply-adds than this run in JavaScript: below it, copying operands in and out of the
 * module and the call cost about as much as the arithmetic saves (measured: the seed's 3-4-1 XOR network, whose
 * products have 48, trains at about two thirds of the reference's speed when forced through WebAssembly).
 */
export const DEFAULT_MIN_WORK = 1024;
/** Parameter arrays, and activation gradients, shorter than this are left to JavaScript. */
const MIN_SGD = 512;
const MIN_ELEMENTWISE = 512;

/** Activations the fused forward applies in WebAssembly (its `act` codes); the others run in JavaScript. */
const FUSED_ACTIVATIONS: Partial<Record<ActivationName, number>> = { relu: 1, leaky_relu: 2, linear: 3 };

export interface WasmKernelOptions {
  /** rows·inputs·units below which a layer's products run in the JavaScript reference instead. */
  minWork?: number;
  /** The module whose matrix product fuses each multiply and add (relaxed SIMD); throws where it cannot compile. */
  fma?: boolean;
}

const PAGE = 65536;
/** Bytes of scratch at the start of memory for the kernel's edge tiles. */
const TMP_BYTES = 128;
const align = (bytes: number): number => (bytes + 63) & ~63;

/**
 * Kernels backed by hand-written WebAssembly SIMD (engine/kernels/wat/kernels.wat). Each call copies its
 * operands into the module's memory, which grows to the largest call seen and is then reused, and copies the
 * results out. Float64 operands (gradient checks) and work too small to pay for the copies go to the JavaScript
 * reference, and so do the activations the module does not fuse (their products still run here). Deterministic:
 * the same inputs give bit-identical outputs on every run and machine (with `fma`, on every run of one machine:
 * relaxed_madd rounds once where the processor fuses and twice where it does not). Throws when the module's
 * WebAssembly features are missing.
 */
export function createWasmKernels(options: WasmKernelOptions = {}): Kernels {
  const api = wasmApi();
  const bytes = options.fma ? KERNELS_WASM_FMA : KERNELS_WASM;
  if (!api || !compiles(bytes)) throw new Error(options.fma ? 'WebAssembly relaxed SIMD is not available here.' : 'WebAssembly SIMD is not available here.');
  const instance = new api.Instance(new api.Module(bytes), {});
  const exports = instance.exports as KernelExports;
  const memory = exports.memory;
  const minWork = options.minWork ?? DEFAULT_MIN_WORK;
  let heap = new Float32Array(memory.buffer);

  /** Hands out 64-byte-aligned regions of the module's memory for one call, from just past the edge-tile scratch. */
  let top = TMP_BYTES;
  const place = (floats: number): number => {
    const at = top;
    top = align(top + floats * 4);
    return at;
  };
  /** Makes the memory hold every region placed since `top` was reset. */
  const commit = (): void => {
    const have = memory.buffer.byteLength;
    if (top > have) memory.grow(Math.ceil((top - have) / PAGE));
    if (heap.buffer !== memory.buffer) heap = new Float32Array(memory.buffer);
  };
  const copyIn = (source: FloatArray, length: number, at: number): void => {
    heap.set(source.length === length ? source : source.subarray(0, length), at >> 2);
  };
  const copyOut = (target: FloatArray, at: number, length: number): void => {
    const from = at >> 2;
    target.set(heap.subarray(from, from + length));
  };

  /** Whether a product of m·k·n multiply-adds pays for copying its operands in and out. */
  const worthCopying = (m: number, k: number, n: number): boolean => m > 0 && k > 0 && n > 0 && m * k * n >= minWork;
  /** The module computes in float32 only; null stands for an output the caller did not ask for. */
  const float32 = (array: FloatArray | null): boolean => array === null || array instanceof Float32Array;

  return {
    name: options.fma ? 'wasm-fma' : 'wasm-simd',

    denseForward(x, w, bias, z, a, rows, inputs, units, activation) {
      if (!worthCopying(rows, inputs, units) || !float32(x) || !float32(w) || !float32(bias) || !float32(z) || !float32(a)) {
        return referenceKernels.denseForward(x, w, bias, z, a, rows, inputs, units, activation);
      }
      const act = FUSED_ACTIVATIONS[activation.name] ?? 0;
      const padded = (units + 7) & ~7;
      top = TMP_BYTES;
      const xAt = place(rows * inputs);
      const wAt = place(inputs * units);
      const biasAt = bias ? place(padded) : 0;
      const packedAt = place(padded * inputs);
      const zAt = place(rows * units);
      const aAt = act ? place(rows * units) : 0;
      commit();
      copyIn(x, rows * inputs, xAt);
      copyIn(w, inputs * units, wAt);
      if (bias) {
        copyIn(bias, units, biasAt);
        heap.fill(0, (biasAt >> 2) + units, (biasAt >> 2) + padded);
      }
      exports.dense_forward(xAt, wAt, biasAt, zAt, aAt, rows, inputs, units, act, LEAKY_SLOPE, packedAt, 0);
      copyOut(z, zAt, rows * units);
      if (act) copyOut(a, aAt, rows * units);
      else activation.forward(z, a, rows, units);
    },

    denseBackward(x, w, dz, gradW, gradBias, dInput, rows, inputs, units) {
      if (!worthCopying(rows, inputs, units) || !float32(x) || !float32(w) || !float32(dz) || !float32(gradW) ||
        !float32(gradBias) || !float32(dInput)) {
        return referenceKernels.denseBackward(x, w, dz, gradW, gradBias, dInput, rows, inputs, units);
      }
      top = TMP_BYTES;
      const xAt = place(rows * inputs);
      const wAt = dInput ? place(inputs * units) : 0;
      const dzAt = place(rows * units);
      const packedAt = place(Math.max(((units + 7) & ~7) * rows, dInput ? ((inputs + 7) & ~7) * units : 0));
      const gwAt = place(inputs * units);
      const gbAt = gradBias ? place(units) : 0;
      const dxAt = dInput ? place(rows * inputs) : 0;
      commit();
      copyIn(x, rows * inputs, xAt);
      if (dInput) copyIn(w, inputs * units, wAt);
      copyIn(dz, rows * units, dzAt);
      exports.dense_backward(xAt, wAt, dzAt, gwAt, gbAt, dxAt, rows, inputs, units, packedAt, 0);
      copyOut(gradW, gwAt, inputs * units);
      if (gradBias) copyOut(gradBias, gbAt, units);
      if (dInput) copyOut(dInput, dxAt, rows * inputs);
    },

    activationBackward(activation, z, a, da, dz, rows, cols) {
      const act = FUSED_ACTIVATIONS[activation.name];
      const n = rows * cols;
      if (!act || n < MIN_ELEMENTWISE || !float32(z) || !float32(da) || !float32(dz)) {
        return referenceKernels.activationBackward(activation, z, a, da, dz, rows, cols);
      }
      top = TMP_BYTES;
      const zAt = place(n);
      const daAt = place(n);
      const dzAt = place(n);
      commit();
      copyIn(z, n, zAt);
      copyIn(da, n, daAt);
      exports.act_backward(act, LEAKY_SLOPE, zAt, daAt, dzAt, n);
      copyOut(dz, dzAt, n);
    },

    sgdUpdate(values, grads, n, lr, lambda) {
      if (n < MIN_SGD || !float32(values) || !float32(grads)) return referenceKernels.sgdUpdate(values, grads, n, lr, lambda);
      top = TMP_BYTES;
      const valuesAt = place(n);
      const gradsAt = place(n);
      commit();
      copyIn(values, n, valuesAt);
      copyIn(grads, n, gradsAt);
      exports.sgd(valuesAt, gradsAt, n, lr, lambda);
      copyOut(values, valuesAt, n);
    },
  };
}
