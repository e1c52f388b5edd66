import type { ActivationName } from '../activations';
import type { FloatArray } from '../tensor';
import { referenceKernels } from './reference';
import type { Kernels } from './types';
import { KERNELS_WASM } from './wasm-binary.generated';

/*
 * The engine is compiled without DOM or Node types, so the little of the global WebAssembly API used here
 * is described locally and reached through globalThis: nothing is declared globally, nothing is imported.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type Product = (a: number, b: number, c: number, m: number, k: number, n: number, packed: number, tmp: number) => void;
interface KernelExports {
  memory: WasmMemory;
  matmul: Product;
  matmul_ta: Product;
  matmul_tb: Product;
  dense_forward(x: number, w: number, bias: number, z: number, a: number, rows: number, inputs: number, units: number,
    act: number, packed: number, tmp: number): void;
  dense_backward(x: number, w: number, dz: number, gw: number, gb: number, dx: number, rows: number, inputs: number, units: number,
    packed: number, tmp: number): void;
  sgd(values: number, grads: number, n: number, lr: number, lambda: number): void;
  act_backward(act: number, z: number, da: number, dz: number, n: number): void;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
}

/** True when this JavaScript engine can compile the SIMD kernels (WebAssembly with 128-bit SIMD). */
export function wasmSimdAvailable(): boolean {
  try {
    return wasmApi()?.validate(KERNELS_WASM) === true;
  } catch {
    return false;
  }
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
  /** m·k·n below which a product runs in the JavaScript reference instead. */
  minWork?: number;
}

const PAGE = 65536;
/** Bytes of scratch at the start of memory for the kernel's edge tiles. */
const TMP_BYTES = 128;
const align = (bytes: number): number => (bytes + 63) & ~63;

/**
 * Kernels backed by hand-written WebAssembly SIMD (engine/kernels/wat/kernels.wat). Each product copies its
 * operands into the module's memory, which grows to the largest product seen and is then reused, and copies
 * the result out. Float64 operands (gradient checks) and products too small to pay for the copies go to the
 * JavaScript reference, as do the bias routines, which are memory-bound and run in place. Deterministic:
 * the same inputs give bit-identical outputs on every run and machine. Throws when WebAssembly SIMD is missing.
 */
export function createWasmKernels(options: WasmKernelOptions = {}): Kernels {
  const api = wasmApi();
  if (!api || !api.validate(KERNELS_WASM)) throw new Error('WebAssembly SIMD is not available here.');
  const instance = new api.Instance(new api.Module(KERNELS_WASM), {});
  const exports = instance.exports as KernelExports;
  const memory = exports.memory;
  const minWork = options.minWork ?? DEFAULT_MIN_WORK;
  let heap = new Float32Array(memory.buffer);

  function ensureBytes(bytes: number): void {
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    if (heap.buffer !== memory.buffer) heap = new Float32Array(memory.buffer);
  }

  function copyIn(source: Float32Array, length: number, byteOffset: number): void {
    heap.set(source.length === length ? source : source.subarray(0, length), byteOffset >> 2);
  }

  /** Runs one product: a holds aLength floats, b holds bLength floats, c gets m·n floats. */
  function product(op: Product, a: Float32Array, aLength: number, b: Float32Array, bLength: number, c: Float32Array,
    m: number, k: number, n: number): void {
    const aAt = TMP_BYTES;
    const bAt = align(aAt + aLength * 4);
    const packedAt = align(bAt + bLength * 4);
    const cAt = align(packedAt + ((n + 7) >> 3) * 32 * k);
    ensureBytes(cAt + m * n * 4);
    copyIn(a, aLength, aAt);
    copyIn(b, bLength, bAt);
    op(aAt, bAt, cAt, m, k, n, packedAt, 0);
    const from = cAt >> 2;
    c.set(heap.subarray(from, from + m * n));
  }

  /** Hands out 64-byte-aligned regions of the module's memory for one call, from just past the edge-tile scratch. */
  let top = TMP_BYTES;
  const place = (floats: number): number => {
    const at = top;
    top = align(top + floats * 4);
    return at;
  };
  /** Makes the memory hold every region placed since `top` was reset. */
  const commit = (): void => ensureBytes(top);
  const copyOut = (target: FloatArray, at: number, length: number): void => {
    const from = at >> 2;
    target.set(heap.subarray(from, from + length));
  };

  const useWasm = (a: FloatArray, b: FloatArray, c: FloatArray, m: number, k: number, n: number): boolean =>
    m > 0 && k > 0 && n > 0 && m * k * n >= minWork && a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array;

  const kernels: Kernels = {
    name: 'wasm-simd',

    matmul(a, b, c, m, k, n) {
      if (!useWasm(a, b, c, m, k, n)) return referenceKernels.matmul(a, b, c, m, k, n);
      product(exports.matmul, a as Float32Array, m * k, b as Float32Array, k * n, c as Float32Array, m, k, n);
    },

    matmulTransA(a, b, c, m, k, n) {
      if (!useWasm(a, b, c, m, k, n)) return referenceKernels.matmulTransA(a, b, c, m, k, n);
      product(exports.matmul_ta, a as Float32Array, k * m, b as Float32Array, k * n, c as Float32Array, m, k, n);
    },

    matmulTransB(a, b, c, m, k, n) {
      if (!useWasm(a, b, c, m, k, n)) return referenceKernels.matmulTransB(a, b, c, m, k, n);
      product(exports.matmul_tb, a as Float32Array, m * k, b as Float32Array, n * k, c as Float32Array, m, k, n);
    },

    addBias: referenceKernels.addBias,
    sumRows: referenceKernels.sumRows,

    denseForward(x, w, bias, z, a, rows, inputs, units, activation) {
      if (!useWasm(x, w, z, rows, inputs, units) || !(a instanceof Float32Array) || (bias && !(bias instanceof Float32Array))) {
        referenceKernels.matmul(x, w, z, rows, inputs, units);
        if (bias) referenceKernels.addBias(z, bias, rows, units);
        return false;
      }
      const act = FUSED_ACTIVATIONS[activation] ?? 0;
      const padded = (units + 7) & ~7;
      top = TMP_BYTES;
      const xAt = place(rows * inputs);
      const wAt = place(inputs * units);
      const biasAt = bias ? place(padded) : 0;
      const packedAt = place(padded * inputs);
      const zAt = place(rows * units);
      const aAt = act ? place(rows * units) : 0;
      commit();
      copyIn(x as Float32Array, rows * inputs, xAt);
      copyIn(w as Float32Array, inputs * units, wAt);
      if (bias) {
        copyIn(bias as Float32Array, units, biasAt);
        heap.fill(0, (biasAt >> 2) + units, (biasAt >> 2) + padded);
      }
      exports.dense_forward(xAt, wAt, biasAt, zAt, aAt, rows, inputs, units, act, packedAt, 0);
      copyOut(z, zAt, rows * units);
      if (!act) return false;
      copyOut(a, aAt, rows * units);
      return true;
    },

    denseBackward(x, w, dz, gradW, gradBias, dInput, rows, inputs, units) {
      const float32 = x instanceof Float32Array && w instanceof Float32Array && dz instanceof Float32Array &&
        gradW instanceof Float32Array && (!gradBias || gradBias instanceof Float32Array) && (!dInput || dInput instanceof Float32Array);
      if (!float32 || rows < 1 || inputs < 1 || units < 1 || rows * inputs * units < minWork) {
        kernels.matmulTransA(x, dz, gradW, inputs, rows, units);
        if (gradBias) referenceKernels.sumRows(dz, gradBias, rows, units);
        if (dInput) kernels.matmulTransB(dz, w, dInput, rows, units, inputs);
        return;
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
      copyIn(x as Float32Array, rows * inputs, xAt);
      if (dInput) copyIn(w as Float32Array, inputs * units, wAt);
      copyIn(dz as Float32Array, rows * units, dzAt);
      exports.dense_backward(xAt, wAt, dzAt, gwAt, gbAt, dxAt, rows, inputs, units, packedAt, 0);
      copyOut(gradW, gwAt, inputs * units);
      if (gradBias) copyOut(gradBias, gbAt, units);
      if (dInput) copyOut(dInput, dxAt, rows * inputs);
    },

    activationBackward(activation, z, _a, da, dz, rows, cols) {
      const act = FUSED_ACTIVATIONS[activation];
      const n = rows * cols;
      if (!act || n < MIN_ELEMENTWISE || !(z instanceof Float32Array) || !(da instanceof Float32Array) || !(dz instanceof Float32Array)) {
        return false;
      }
      top = TMP_BYTES;
      const zAt = place(n);
      const daAt = place(n);
      const dzAt = place(n);
      commit();
      copyIn(z, n, zAt);
      copyIn(da, n, daAt);
      exports.act_backward(act, zAt, daAt, dzAt, n);
      copyOut(dz, dzAt, n);
      return true;
    },

    sgdUpdate(values, grads, n, lr, lambda) {
      if (n < MIN_SGD || !(values instanceof Float32Array) || !(grads instanceof Float32Array)) return false;
      top = TMP_BYTES;
      const valuesAt = place(n);
      const gradsAt = place(n);
      commit();
      copyIn(values, n, valuesAt);
      copyIn(grads, n, gradsAt);
      exports.sgd(valuesAt, gradsAt, n, lr, lambda);
      copyOut(values, valuesAt, n);
      return true;
    },
  };
  return kernels;
}
