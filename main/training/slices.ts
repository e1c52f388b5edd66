import { setImmediate as nextTurn } from 'node:timers/promises';
import { StepOutcome, type Trainer } from '../../engine/trainer';

/** Training after the run's own (baselines, a refit) goes in slices of this length, so a stop between them is heard at once. */
const SLICE_MS = 20;

/**
 * Trains `trainer` to its end in slices, giving the event loop a turn before each (the first too, so that a stop
 * already on its way is heard). Returns false, leaving it unfinished, as soon as `stopRequested` turns true.
 */
export async function trainInSlices(trainer: Trainer, stopRequested: () => boolean): Promise<boolean> {
  while (!trainer.done) {
    await nextTurn();
    if (stopRequested()) return false;
    const deadline = performance.now() + SLICE_MS;
    while (trainer.step() !== StepOutcome.Done && performance.now() < deadline) { /* one mini-batch a turn of the loop */ }
  }
  return true;
}
