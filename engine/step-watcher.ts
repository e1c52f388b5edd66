import type { Optimizer } from './optimizers';
import type { FloatArray } from './tensor';

/** One mini-batch as the trainer holds it just before its update. */
export interface StepInProgress {
  /** The batch's inputs and targets as the trainer copied them (rows × inputs, rows × outputs; the buffers may be longer). */
  x: FloatArray;
  y: FloatArray;
  rows: number;
  /** Which training rows made the batch, in its order. */
  order: Uint32Array;
  /** The rate this update uses. */
  learningRate: number;
  optimizer: Optimizer;
}

/**
 * Looks at one `Trainer.step()` from inside: after its forward and backward passes, before its update, and after
 * it. A watcher only reads, so a watched step trains exactly as any other (engine/step-trace.ts records one).
 */
export interface StepWatcher {
  beforeUpdate(step: StepInProgress): void;
  afterUpdate(): void;
}
