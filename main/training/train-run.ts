import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { PreparedDataset } from '../../engine/data/dataset';
import type { EpochMetrics } from '../../engine/trainer';
import type { RunRecord } from '../../common/run-record';
import type { RunStore } from '../store/run-store';
import type { TrainRequest } from '../../common/settings';
import { RunDriver } from './run-driver';
import { openRun } from './run-setup';

export interface TrainResult {
  run: RunRecord;
  modelPath: string;
  history: EpochMetrics[];
}

/**
 * Trains a run to the end in this process. The app and the command line train in a worker process
 * (main/worker); this is the same work without one, for tests and embedding.
 */
export async function trainRun(request: TrainRequest, store: RunStore, hooks: { onStart?: (run: RunRecord, data: PreparedDataset) => void } = {}): Promise<TrainResult> {
  const active = await openRun(request, store);
  hooks.onStart?.(active.record, active.data);
  const driver = new RunDriver(active, store);
  await driver.setStatus('training');
  while (!driver.trainer.done) {
    driver.advance(50);
    driver.takeBatchLosses();
    await driver.flushEpochs();
    await yieldToEventLoop();
  }
  const { record, modelPath } = await driver.finish(false);
  return { run: record, modelPath, history: driver.trainer.history };
}
