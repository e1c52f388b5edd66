import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { prepareDataset, type PreparedDataset } from '../../engine/data/dataset';
import type { SplitMetrics } from '../../engine/metrics';
import { modelFromNetwork } from '../../engine/model';
import { StepOutcome, Trainer, type EpochMetrics } from '../../engine/trainer';
import { importCsv } from '../data/import/import-csv';
import type { RunStore } from '../store/run-store';
import type { RunRecord, RunStatus } from '../store/run-schema';
import { ENGINE_VERSION } from '../version';
import { datasetOptions, networkSpec, trainConfig, type TrainRequest } from './plan';

export interface TrainProgress {
  epoch: number;
  epochs: number;
  step: number;
  loss: number;
  valLoss: number | null;
  samplesPerSecond: number;
}

export interface TrainHooks {
  /** Called at most every `progressMs` and at every epoch end. */
  onProgress?: (progress: TrainProgress) => void;
  onStart?: (run: RunRecord, data: PreparedDataset) => void;
  /** Checked between slices: returning true stops training, keeping what was learned. */
  shouldStop?: () => boolean;
  progressMs?: number;
}

export interface TrainResult {
  run: RunRecord;
  modelPath: string;
  history: EpochMetrics[];
}

/** Training is cut into slices this long so the process stays responsive (signals, progress output). */
const SLICE_MS = 50;

async function sha256(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** Reads the data, trains a network on it as the request says, and keeps the whole run in the store. */
export async function trainRun(request: TrainRequest, store: RunStore, hooks: TrainHooks = {}): Promise<TrainResult> {
  const file = resolve(request.file);
  const imported = await importCsv(file, request.import);
  const table = imported.table;
  const options = datasetOptions(request);
  options.missingMarkers = imported.missingMarkers;
  if (request.testFile) options.testTable = (await importCsv(resolve(request.testFile), request.import)).table;
  const data = prepareDataset(table, options);
  const { spec, warnings } = networkSpec(request, data);
  const config = trainConfig(request);
  const trainer = new Trainer(spec, { train: data.train, val: data.val, metric: metricKind(data) }, config);

  const now = new Date();
  const id = store.newId(now);
  const record: RunRecord = {
    schema: 1,
    id,
    name: request.name ?? `${table.source.replace(/\.[^.]*$/, '')} ${spec.layers.slice(0, -1).map((l) => l.units).join('-') || 'linear'}`,
    notes: '',
    tags: [],
    created: now.toISOString(),
    updated: now.toISOString(),
    status: 'training',
    dataset: {
      path: file,
      sha256: await sha256(file),
      testPath: request.testFile ? resolve(request.testFile) : null,
      rows: table.rows,
      target: data.preprocessing.target.column,
      features: data.features,
      ignored: data.ignored,
      splits: { train: data.train.rows, val: data.val.rows, test: data.test?.rows ?? 0 },
    },
    task: data.task.kind,
    preprocessing: data.preprocessing,
    model: spec,
    training: config,
    seed: config.seed,
    engine: ENGINE_VERSION,
    settingChanges: [],
    warnings: [...imported.warnings, ...data.warnings, ...warnings],
    summary: { epochs: 0, steps: 0, train: null, val: null, test: null, samplesPerSecond: null, seconds: null, message: '' },
  };
  await store.create(record);
  hooks.onStart?.(record, data);

  const started = performance.now();
  let lastProgress = 0;
  let flushed = 0;
  let stopped = false;
  const progressMs = hooks.progressMs ?? 100;
  const report = () => {
    const last = trainer.history[trainer.history.length - 1];
    const seconds = (performance.now() - started) / 1000;
    hooks.onProgress?.({
      epoch: trainer.epoch,
      epochs: config.epochs,
      step: trainer.steps,
      loss: last?.train.loss ?? trainer.lastBatchLoss,
      valLoss: last?.val?.loss ?? null,
      samplesPerSecond: seconds > 0 ? trainer.samples / seconds : 0,
    });
  };
  while (!trainer.done) {
    const sliceEnd = performance.now() + SLICE_MS;
    let outcome: StepOutcome = StepOutcome.Batch;
    // Reading the clock every step would cost more than a small network's step; every 16th is enough.
    for (let i = 1; outcome !== StepOutcome.Done; i++) {
      outcome = trainer.step();
      if ((i & 15) === 0 && performance.now() >= sliceEnd) break;
    }
    if (trainer.history.length > flushed) {
      await store.appendMetrics(id, trainer.history.slice(flushed));
      flushed = trainer.history.length;
    }
    if (performance.now() - lastProgress >= progressMs || trainer.done) {
      lastProgress = performance.now();
      report();
    }
    if (!trainer.done && hooks.shouldStop?.()) {
      stopped = true;
      break;
    }
    await yieldToEventLoop();
  }
  const seconds = (performance.now() - started) / 1000;

  const status: RunStatus = stopped ? 'stopped' : trainer.status === 'diverged' ? 'diverged' : 'finished';
  const evaluateOrNull = (split: typeof data.val | null): SplitMetrics | null => (split && split.rows > 0 ? trainer.evaluate(split) : null);
  const summary = {
    epochs: trainer.history.length,
    steps: trainer.steps,
    train: trainer.evaluate(data.train),
    val: evaluateOrNull(data.val),
    test: evaluateOrNull(data.test),
    samplesPerSecond: seconds > 0 ? trainer.samples / seconds : null,
    seconds,
    message: stopped ? `Stopped at epoch ${trainer.epoch}, step ${trainer.steps}.` : trainer.message,
  };
  const model = modelFromNetwork(trainer.network, data.preprocessing);
  const modelPath = await store.saveModel(id, model, { run: id, epochs: summary.epochs, dataset: table.source });
  const finalRecord = await store.update(id, (r) => ({ ...r, status, summary: jsonSafe(summary) }));
  return { run: finalRecord, modelPath, history: trainer.history };
}

function metricKind(data: PreparedDataset) {
  const target = data.preprocessing.target;
  return target.kind === 'value' ? { kind: 'regression' as const, scale: target.std } : { kind: 'classification' as const };
}

/** NaN and ±∞ have no JSON form; a metric that is not a number is recorded as null. */
function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))) as T;
}
