import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fmaFusesHere } from '../../engine/kernels';
import { dataset, lastJson, runCli, tempHome, type TrainJson } from '../support/cli';

const home = tempHome();
afterAll(home.cleanup);

const runJson = (run: string) => join(home.dir, 'runs', run, 'run.json');
const record = (run: string) => JSON.parse(readFileSync(runJson(run), 'utf8')) as { training: { kernels?: string } };
const losses = (run: string): number[] => readFileSync(join(home.dir, 'runs', run, 'metrics.jsonl'), 'utf8').trim().split('\n')
  .map((line) => (JSON.parse(line) as { train: { loss: number } }).train.loss);
const weights = (run: string) => JSON.stringify((JSON.parse(readFileSync(join(home.dir, 'runs', run, 'model.json'), 'utf8')) as { layers: unknown }).layers);

async function train(args: string[]): Promise<TrainJson> {
  // Iris with the default 16-8 network: its first layer's products (32 × 4 × 16) are large enough for WebAssembly.
  const result = await runCli(['train', dataset('iris.csv'), '--early-stop', '0', ...args, '--home', home.dir, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
  return lastJson<TrainJson>(result);
}

async function resume(run: string, epochs: number): Promise<void> {
  const result = await runCli(['runs', 'resume', run, '--epochs', String(epochs), '--home', home.dir, '--json']);
  expect(result.code, result.stderr.join('\n')).toBe(0);
}

describe('the kernel set that trains a run', () => {
  it('is recorded, differs slightly between wasm and js, and each replays and resumes bit for bit with its own', async () => {
    const byKernels: Record<string, number[]> = {};
    for (const kernels of ['wasm', 'js', 'wasm-fma']) {
      const whole = await train(['--epochs', '8', '--kernels', kernels]);
      expect(whole.kernels).toBe(kernels);
      expect(record(whole.run).training.kernels).toBe(kernels);
      const again = await train(['--epochs', '8', '--kernels', kernels]);
      expect(losses(again.run)).toEqual(losses(whole.run));
      expect(weights(again.run)).toBe(weights(whole.run));
      // Stopped after 4 epochs, then resumed to 8: the same history and weights as the run that never stopped.
      const half = await train(['--epochs', '4', '--kernels', kernels]);
      await resume(half.run, 8);
      expect(losses(half.run)).toEqual(losses(whole.run));
      expect(weights(half.run)).toBe(weights(whole.run));
      byKernels[kernels] = losses(whole.run);
    }
    const js = byKernels.js!;
    for (const set of ['wasm', 'wasm-fma']) {
      const ours = byKernels[set]!;
      expect(ours).not.toEqual(js);
      for (let i = 0; i < ours.length; i++) expect(Math.abs(ours[i]! - js[i]!)).toBeLessThan(1e-4 * Math.abs(js[i]!));
    }
    // The training worker compiles relaxed SIMD: where this processor fuses, the fused run is a run of its own.
    if (fmaFusesHere()) expect(byKernels['wasm-fma']).not.toEqual(byKernels.wasm);
    else expect(byKernels['wasm-fma']).toEqual(byKernels.wasm);
  });

  it('is wasm-fma by default, and wasm for a run recorded before the choice existed, which resumes as it trained', async () => {
    expect((await train(['--epochs', '1'])).kernels).toBe('wasm-fma');
    const whole = await train(['--epochs', '6', '--kernels', 'wasm']);
    const old = await train(['--epochs', '3', '--kernels', 'wasm']);
    const stored = JSON.parse(readFileSync(runJson(old.run), 'utf8')) as { training: Record<string, unknown>; request: { settings: Record<string, unknown> } };
    delete stored.training.kernels;
    delete stored.request.settings.kernels;
    writeFileSync(runJson(old.run), JSON.stringify(stored));
    await resume(old.run, 6);
    expect(losses(old.run)).toEqual(losses(whole.run));
    expect(weights(old.run)).toBe(weights(whole.run));
  });

  it('is the JavaScript reference for the seed network, too small for WebAssembly to help, and runs show says so', async () => {
    const result = await runCli(['train', dataset('seed-xor.csv'), '--layers', '4', '--activation', 'sigmoid', '--loss', 'sse', '--optimizer', 'sgd',
      '--lr', '1', '--epochs', '20', '--batch', 'full', '--init', 'uniform', '--no-bias', '--no-standardize', '--val', '0', '--test', '0', '--home', home.dir, '--json']);
    const out = lastJson<TrainJson>(result);
    expect(out.kernels).toBe('js');
    const shown = await runCli(['runs', 'show', out.run, '--home', home.dir]);
    expect(shown.stdout.join('\n')).toMatch(/· kernels js$/m);
  });

  it('refuses a kernel set it does not know in one sentence', async () => {
    const result = await runCli(['train', dataset('iris.csv'), '--kernels', 'gpu', '--home', home.dir]);
    expect(result.code).not.toBe(0);
    const text = result.stderr.join('\n');
    expect(text).toMatch(/--kernels <set>.*expected one of wasm, js, wasm-fma, got "gpu"/);
    expect(text).not.toMatch(/\n\s+at /);
  });
});
