import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import type { LabEvent } from '../../common/lab-api';
import type { LabBackend } from '../../main/lab/lab-backend';
import type { Progress } from '../../common/worker-protocol';

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const builtWorker = join(repoRoot, 'out', 'main', 'worker.js');

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A copy of a shipped dataset in a folder of the test's own, as a user's file would be. */
export async function copyDataset(name: string, dir: string, as = name): Promise<string> {
  const path = join(dir, as);
  await copyFile(join(repoRoot, 'datasets', name), path);
  return path;
}

/** Puts an event through the real backend's own emit, as training would. */
export function emitFrom(backend: LabBackend, event: LabEvent): void {
  (backend as unknown as { emit(event: LabEvent): void }).emit(event);
}

export function progress(epoch: number): Progress {
  return {
    state: 'training', epoch, epochs: 1000, step: 1, stepsPerEpoch: 1, samplesPerSecond: 100,
    batchSteps: new Float64Array([epoch]), batchLosses: new Float64Array([1 / (epoch + 1)]),
    loss: 0.5, valLoss: null, learningRate: 0.01,
  };
}

/** Lets setImmediate callbacks and MessagePort deliveries run. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Collects what arrives on the page's end of a port. */
export function collect(port: MessagePort): unknown[] {
  const received: unknown[] = [];
  port.on('message', (message: unknown) => received.push(message));
  return received;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A small nnlab model file (x1, x2 → class "a" or "b"), as a user's saved model would be. */
export async function writeModelFile(dir: string, name = 'model.json'): Promise<string> {
  const { saveModel } = await import('../../main/model-file');
  const path = join(dir, name);
  await saveModel(path, {
    spec: { inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], bias: true, loss: 'bce', init: 'glorot' },
    preprocessing: {
      features: [
        { kind: 'numeric', column: 'x1', mean: 0, std: 1, impute: 0 },
        { kind: 'numeric', column: 'x2', mean: 0, std: 1, impute: 0 },
      ],
      target: { kind: 'classes', column: 'y', classes: ['a', 'b'] },
      missingMarkers: [''],
      missingPolicy: 'drop',
    },
    layers: [{ weights: Float32Array.from([1, -1]), bias: Float32Array.from([0]) }],
  });
  return path;
}
