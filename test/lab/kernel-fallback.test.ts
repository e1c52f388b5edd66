import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RunStore } from '../../main/store/run-store';
import { dataset, tempHome } from '../support/cli';
import { request } from './session-helpers';

const home = tempHome();
const store = new RunStore(home.dir);
afterAll(() => {
  vi.unstubAllGlobals();
  home.cleanup();
});

// This file's modules are its own, so the kernels are first chosen here, where WebAssembly SIMD is refused (as
// under a content security policy that forbids compiling it).
beforeAll(() => {
  const real = (globalThis as { WebAssembly?: object }).WebAssembly;
  vi.stubGlobal('WebAssembly', { ...real, validate: () => false });
});

describe('a run that asks for the WebAssembly kernels where they cannot run', () => {
  it('trains with the JavaScript kernels, records js and says so', async () => {
    const { openRun } = await import('../../main/training/run-setup');
    const run = await openRun(request(dataset('iris.csv'), { epochs: 2, kernels: 'wasm' }), store);
    expect(run.record.training.kernels).toBe('js');
    expect(run.trainer.kernelSet).toBe('js');
    expect(run.warnings).toContain('The WebAssembly kernels cannot run here, so this run trains with the JavaScript kernels (recorded as "js"); its numbers differ in about the sixth digit.');
    expect((await store.get(run.record.id)).warnings).toEqual(run.warnings);
  });

  it('resumes a run that WebAssembly trained with the JavaScript kernels, saying it will not match bit for bit', async () => {
    const { openRun, reopenRun } = await import('../../main/training/run-setup');
    const opened = await openRun(request(dataset('iris.csv'), { epochs: 2, kernels: 'wasm' }), store);
    await store.update(opened.record.id, (r) => ({ ...r, status: 'stopped', training: { ...r.training, kernels: 'wasm' } }));
    const reopened = await reopenRun(store, opened.record.id, undefined);
    expect(reopened.trainer.kernelSet).toBe('js');
    expect(reopened.warnings).toContain('This run trained with the WebAssembly kernels, which cannot run here: it continues with the JavaScript kernels, so it will not match an uninterrupted run bit for bit.');
    // The record keeps what trained it first.
    expect(reopened.record.training.kernels).toBe('wasm');
  });

  it('asked for js, says nothing about it', async () => {
    const { openRun } = await import('../../main/training/run-setup');
    const run = await openRun(request(dataset('iris.csv'), { epochs: 2, kernels: 'js' }), store);
    expect(run.record.training.kernels).toBe('js');
    expect(run.warnings.join(' ')).not.toMatch(/kernels/);
  });
});
