import { resolve } from 'node:path';
import type { PreparedDataset } from '../../engine/data/dataset';
import type { MetricKind } from '../../engine/metrics';
import { Trainer } from '../../engine/trainer';
import { kernelSetRuns, type KernelSet } from '../../engine/kernels';
import { hasCheckpoint, loadCheckpoint } from '../store/checkpoint';
import { sha256File } from '../files/file-hash';
import { RUN_SCHEMA_VERSION, type RunRecord } from '../../common/run-record';
import { isProcessAlive, type RunStore } from '../store/run-store';
import { ENGINE_VERSION } from '../version';
import type { TrainRequest } from '../../common/settings';
import { networkSpec, trainConfig } from './plan';
import { readRunData } from './run-data';
import { advise } from '../../engine/advice';
import { defaultRunName } from './run-name';
import { startFromCheckpoint } from './fork-run';
import type { ForkSource } from '../../common/fork-source';

/** A run ready to train: its record on disk, its data, and a trainer at the right place. */
export interface ActiveRun {
  record: RunRecord;
  trainer: Trainer;
  data: PreparedDataset;
  warnings: string[];
}

export function metricKind(data: PreparedDataset): MetricKind {
  const target = data.preprocessing.target;
  return target.kind === 'value' ? { kind: 'regression', scale: target.std } : { kind: 'classification' };
}

/**
 * Reads and prepares the data exactly as the request says; the same request always gives the same splits. The
 * trainer uses the kernel set `kernels`: the one asked for in a new run, the one recorded in a replayed one.
 */
async function prepare(request: TrainRequest, kernels: KernelSet) {
  const file = resolve(request.file);
  const { imported, data } = await readRunData(request);
  const { spec, warnings } = networkSpec(request.settings, data);
  const trainer = new Trainer(spec, { train: data.train, val: data.val, metric: metricKind(data) }, trainConfig(request.settings, data), { kernels });
  return { file, imported, data, spec, trainer, warnings: [...imported.warnings, ...data.warnings, ...warnings] };
}

const KERNEL_WORDS: Record<KernelSet, string> = {
  'wasm-fma': 'fused multiply-add kernels (WebAssembly relaxed SIMD)',
  wasm: 'WebAssembly kernels',
  js: 'JavaScript kernels',
};

/**
 * Why the kernels differ from the set asked for, when the reason is that this engine cannot run it; a tiny
 * network's JavaScript kernels, chosen because they are faster there, need no word.
 */
function kernelFallback(asked: KernelSet, trainer: Trainer, replay: boolean): string[] {
  const got = trainer.kernelSet;
  if (got === asked || kernelSetRuns(asked) || (got === 'js' && kernelSetRuns('wasm'))) return [];
  return [replay
    ? `This run trained with the ${KERNEL_WORDS[asked]}, which cannot run here: it continues with the ${KERNEL_WORDS[got]}, so it will not match an uninterrupted run bit for bit.`
    : `The ${KERNEL_WORDS[asked]} cannot run here, so this run trains with the ${KERNEL_WORDS[got]} (recorded as "${got}"); its numbers differ in about the sixth digit.`];
}

/** Creates a new run in the store (status queued) for the request. */
export async function openRun(request: TrainRequest, store: RunStore, pid: number | null = null, fork?: ForkSource): Promise<ActiveRun> {
  const asked = request.settings.kernels ?? 'wasm';
  const prepared = await prepare(request, asked);
  const { file, imported, data, spec, trainer } = prepared;
  const forked = fork ? await startFromCheckpoint(store, fork, trainer, trainer.config.optimizer.name) : [];
  const warnings = [...prepared.warnings, ...kernelFallback(asked, trainer, false), ...forked];
  const now = new Date();
  const id = store.newId(now);
  const source = imported.table.source;
  const record: RunRecord = {
    schema: RUN_SCHEMA_VERSION,
    id,
    name: request.settings.name ?? defaultRunName(source, request.settings),
    notes: '',
    tags: [],
    created: now.toISOString(),
    updated: now.toISOString(),
    status: 'queued',
    pid,
    request: { ...request, file, ...(request.testFile ? { testFile: resolve(request.testFile) } : {}) },
    dataset: {
      path: file,
      sha256: imported.sha256,
      testPath: request.testFile ? resolve(request.testFile) : null,
      rows: imported.table.rows,
      target: data.preprocessing.target.column,
      features: data.features,
      ignored: data.ignored,
      splits: { train: data.train.rows, val: data.val.rows, test: data.test?.rows ?? 0 },
    },
    task: data.task.kind,
    preprocessing: data.preprocessing,
    model: spec,
    training: { ...trainer.config, kernels: trainer.kernelSet },
    seed: trainer.config.seed,
    engine: ENGINE_VERSION,
    settingChanges: [],
    warnings,
    summary: { epochs: 0, steps: 0, train: null, val: null, test: null, samplesPerSecond: null, seconds: null, message: '' },
    ...(request.experiment && request.fold ? { experiment: { ...request.experiment, fold: request.fold.index + 1, folds: request.fold.folds } } : {}),
    ...(fork ? { parent: fork } : {}),
    ...(request.sweep ? { sweep: request.sweep } : {}),
  };
  await store.create(record);
  return { record, trainer, data, warnings };
}

/**
 * Opens an existing run at its last checkpoint: the data is read again (and must be unchanged), the
 * same settings rebuild the same splits and network, and the trainer continues from the saved state.
 */
export async function reopenRun(store: RunStore, id: string, epochs: number | undefined, pid: number | null = null): Promise<ActiveRun> {
  const record = await store.get(id);
  // A paused run is still held by its session's worker (it waits for the next command), as run-store's settleOrphan also says.
  if (record.status === 'training' || record.status === 'queued' || record.status === 'paused') {
    if (record.pid !== null && isProcessAlive(record.pid)) throw new Error(`Run ${id} is being trained by another process (${record.pid}).`);
  }
  const hash = await sha256File(record.dataset.path).catch(() => {
    throw new Error(`Run ${id} cannot be resumed: its data file ${record.dataset.path} is gone.`);
  });
  if (hash !== record.dataset.sha256) throw new Error(`Run ${id} cannot be resumed: its data file ${record.dataset.path} has changed since the run began.`);
  const state = hasCheckpoint(store.runDir(id)) ? await loadCheckpoint(store.runDir(id), id) : null;
  // Replayed with the kernels that trained it, so the run goes on as if it had never stopped.
  const recorded = record.training.kernels ?? 'wasm';
  const prepared = await prepare(record.request, recorded);
  const { data, trainer } = prepared;
  const warnings = [...prepared.warnings, ...kernelFallback(recorded, trainer, true)];
  const history = await store.readMetrics(id);
  // A run killed before its first checkpoint starts again from its first step: the same seed gives the same run.
  if (state) trainer.importState(state, history);
  if (epochs !== undefined && epochs < trainer.epoch) {
    throw new Error(`Run ${id} has already trained ${trainer.epoch} epochs; to continue it, allow more than that (${advise('moreEpochs', String(trainer.epoch + 1))}).`);
  }
  trainer.setEpochs(epochs ?? record.training.epochs, { continueAfterEarlyStop: epochs !== undefined });
  // Epochs logged after the checkpoint will be trained again; the log must not hold them twice, nor keep a line
  // cut short by the kill, which the next epoch's line would be appended to.
  await store.keepMetrics(id, state?.historyLength ?? 0);
  const reopened = await store.update(id, (r) => ({ ...r, status: 'paused', pid, training: { ...r.training, epochs: trainer.config.epochs } }));
  return { record: reopened, trainer, data, warnings };
}
