import { wasmFmaAvailable } from '../engine/kernels';

/**
 * How to run a JavaScript file with the runtime this process runs on. In the packaged desktop app
 * `process.execPath` is the nnlab app itself, which starts a window unless ELECTRON_RUN_AS_NODE asks it to be
 * plain Node; under Node the variable means nothing, so the same command serves both.
 */
export function nodeRuntime(): { command: string; env: NodeJS.ProcessEnv } {
  return { command: process.execPath, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
}

const RELAXED_SIMD_FLAG = '--experimental-wasm-relaxed-simd';

/**
 * Node flags a process nnlab starts to train needs for the fastest kernels: Node 20 compiles WebAssembly relaxed
 * SIMD (the fused multiply-add kernels) only behind a flag, which later Node and Electron no longer need (nor
 * perhaps know), so it is given only where this runtime needs it: where this process lacks the feature, or has it
 * from the flag.
 */
export function trainingNodeFlags(): string[] {
  return !wasmFmaAvailable() || process.execArgv.includes(RELAXED_SIMD_FLAG) ? [RELAXED_SIMD_FLAG] : [];
}
