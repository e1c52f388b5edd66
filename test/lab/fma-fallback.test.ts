import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KERNELS_WASM_FMA } from '../../engine/kernels/wasm-binary.generated';
import { RunStore } from '../../main/store/run-store';
import { dataset, tempHome } from '../support/cli';
import { request } from './session-helpers';

const home = tempHome();
const store = new RunStore(home.dir);
afterAll(() => {
  vi.restoreAllMocks();
  home.cleanup();
});

// This file's modules are its own, so the kernels are first chosen here, where only relaxed SIMD is refused (as in
// a Node started without --experimental-wasm-relaxed-simd).
beforeAll(() => {
  const wasm = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
  const validate = wasm.validate.bind(wasm);
  vi.spyOn(wasm, 'validate').mockImplementation((bytes: Uint8Array) => bytes !== KERNELS_WASM_FMA && validate(bytes));
});

describe('a run that asks for the fused multiply-add kernels where relaxed SIMD is missing', () => {
  it('trains with the plain WebAssembly kernels, records wasm and says so', async () => {
    const { openRun } = await import('../../main/training/run-setup');
    const run = await openRun(request(dataset('iris.csv'), { epochs: 2, kernels: 'wasm-fma' }), store);
    expect(run.record.training.kernels).toBe('wasm');
    expect(run.warnings).toContain('The fused multiply-add kernels (WebAssembly relaxed SIMD) cannot run here, so this run trains with the WebAssembly kernels (recorded as "wasm"); its numbers differ in about the sixth digit.');
  });

  it('resumes a fused run with the plain kernels, saying it will not match bit for bit, and keeps what trained it first', async () => {
    const { openRun, reopenRun } = await import('../../main/training/run-setup');
    const opened = await openRun(request(dataset('iris.csv'), { epochs: 2, kernels: 'wasm-fma' }), store);
    await store.update(opened.record.id, (r) => ({ ...r, status: 'stopped', training: { ...r.training, kernels: 'wasm-fma' } }));
    const reopened = await reopenRun(store, opened.record.id, undefined);
    expect(reopened.trainer.kernelSet).toBe('wasm');
    expect(reopened.warnings).toContain('This run trained with the fused multiply-add kernels (WebAssembly relaxed SIMD), which cannot run here: it continues with the WebAssembly kernels, so it will not match an uninterrupted run bit for bit.');
    expect(reopened.record.training.kernels).toBe('wasm-fma');
  });
});
